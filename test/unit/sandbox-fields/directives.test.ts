// The fieldValidation directive on request bodies: Strict refuses with the apiserver's status, Warn (the default)
// returns warning texts, Ignore is silent; and the Warning header and Go %+v forms the apiserver writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBody } from '../../../server/sandbox/api/body.ts';
import { HttpStatusError } from '../../../server/sandbox/api/status.ts';
import { goFormat } from '../../../server/sandbox/validation-fields/index.ts';
import {
  checkApplyDocument,
  checkObjectBody,
  checkPatch,
  patchNeedsPreview,
  warningHeader,
} from '../../../server/sandbox/validation-fields/request.ts';

const pod = { apiVersion: 'v1', kind: 'Pod' };
const typoJson =
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"contianers":[],"restartPolicy":"Never","restartPolicy":"Always"}}';
const raw = Buffer.from(typoJson);
const decoded = JSON.parse(typoJson) as Record<string, unknown>;

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof HttpStatusError, String(error));
    return error.body;
  }
  return assert.fail('expected a refusal');
}

describe('fieldValidation on a create or update body', () => {
  test('Strict refuses a JSON body with a 400 BadRequest naming every unknown and duplicate field', () => {
    const body = refusal(() =>
      checkObjectBody(raw, 'application/json', decoded, pod, { fieldValidation: 'Strict' }),
    );
    assert.equal(body.code, 400);
    assert.equal(body.reason, 'BadRequest');
    assert.equal(
      body.message,
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.contianers", duplicate field "spec.restartPolicy"',
    );
  });

  test('Warn, and no directive at all, return the texts to send as warnings', () => {
    const expected = ['unknown field "spec.contianers"', 'duplicate field "spec.restartPolicy"'];
    assert.deepEqual(
      checkObjectBody(raw, 'application/json', decoded, pod, { fieldValidation: 'Warn' }),
      expected,
    );
    assert.deepEqual(checkObjectBody(raw, undefined, decoded, pod, {}), expected);
  });

  test('Ignore accepts anything silently', () => {
    assert.deepEqual(
      checkObjectBody(raw, 'application/json', decoded, pod, { fieldValidation: 'Ignore' }),
      [],
    );
  });

  test('a YAML body is checked as decoded, keys sorted', () => {
    const yaml = { ...decoded, spec: { zeta: 1, contianers: [] } };
    assert.deepEqual(checkObjectBody(Buffer.from('ignored'), 'application/yaml', yaml, pod, {}), [
      'unknown field "spec.contianers"',
      'unknown field "spec.zeta"',
    ]);
  });

  test('a clean body passes under Strict', () => {
    const clean =
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}';
    assert.deepEqual(
      checkObjectBody(Buffer.from(clean), 'application/json', JSON.parse(clean), pod, {
        fieldValidation: 'Strict',
      }),
      [],
    );
  });
});

describe('fieldValidation on a patch', () => {
  const patched = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { nodeSelecter: { a: 'b' } },
  };

  test('Strict needs a preview for JSON, merge and strategic patches; server-side apply and Warn do not', () => {
    assert.equal(patchNeedsPreview('strategic', { fieldValidation: 'Strict' }), true);
    assert.equal(patchNeedsPreview('merge', { fieldValidation: 'Strict' }), true);
    assert.equal(patchNeedsPreview('apply', { fieldValidation: 'Strict' }), false);
    assert.equal(patchNeedsPreview('merge', {}), false);
  });

  test('a strict merge patch is a 422 Invalid quoting the patched object, duplicates of the patch first', () => {
    const patch = Buffer.from('{"spec":{"nodeSelecter":{"a":"b"},"nodeSelecter":{"a":"b"}}}');
    const body = refusal(() => checkPatch('merge', patch, patched, pod, { fieldValidation: 'Strict' }));
    const invalid =
      'Invalid value: "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",\\"metadata\\":{\\"name\\":\\"p\\"},' +
      '\\"spec\\":{\\"nodeSelecter\\":{\\"a\\":\\"b\\"}}}": strict decoding error: ' +
      'duplicate field "spec.nodeSelecter", unknown field "spec.nodeSelecter"';
    assert.equal(body.code, 422);
    assert.equal(body.reason, 'Invalid');
    assert.equal(body.message, ` "" is invalid: patch: ${invalid}`);
    assert.deepEqual(body.details, {
      causes: [{ reason: 'FieldValueInvalid', message: invalid, field: 'patch' }],
    });
  });

  test('a strict strategic merge patch quotes the patch map in Go form', () => {
    const patch = Buffer.from('{"spec":{"nodeSelecter":{"a":"b"}},"metadata":{"labels":{"x":"1"}}}');
    const body = refusal(() => checkPatch('strategic', patch, patched, pod, { fieldValidation: 'Strict' }));
    assert.equal(
      body.message,
      ' "" is invalid: patch: Invalid value: "map[metadata:map[labels:map[x:1]] spec:map[nodeSelecter:map[a:b]]]": ' +
        'strict decoding error: unknown field "spec.nodeSelecter"',
    );
  });

  test('a JSON patch is a list of operations: only the patched object counts', () => {
    const patch = Buffer.from(
      '[{"op":"add","path":"/spec/nodeSelecter","value":{"a":"b"},"value":{"a":"b"}}]',
    );
    assert.deepEqual(checkPatch('json', patch, patched, pod, {}), ['unknown field "spec.nodeSelecter"']);
  });

  test('Warn returns the warnings; Ignore and server-side apply say nothing', () => {
    const patch = Buffer.from('{"spec":{"nodeSelecter":{"a":"b"}}}');
    assert.deepEqual(checkPatch('merge', patch, patched, pod, { fieldValidation: 'Warn' }), [
      'unknown field "spec.nodeSelecter"',
    ]);
    assert.deepEqual(checkPatch('merge', patch, patched, pod, { fieldValidation: 'Ignore' }), []);
    assert.deepEqual(checkPatch('apply', Buffer.from('{}'), patched, pod, { fieldValidation: 'Strict' }), []);
  });
});

describe('wire forms', () => {
  test('a warning header is code 299, no agent, the text quoted with its quotes escaped', () => {
    assert.equal(warningHeader('unknown field "spec.foo"'), '299 - "unknown field \\"spec.foo\\""');
  });

  test('a non-ASCII field name travels as UTF-8 bytes, which Node accepts in a header', () => {
    const header = warningHeader('unknown field "spec.größe"');
    assert.equal(Buffer.from(header, 'latin1').toString('utf8'), '299 - "unknown field \\"spec.größe\\""');
  });

  test('Go %+v of decoded JSON: sorted maps, spaced lists, <nil>, and float64 as Go prints it', () => {
    assert.equal(
      goFormat({ b: [1, 'two', null, true], a: { n: 1000000, m: 123456, f: 0.00001, g: 0.5, neg: -2.25 } }),
      'map[a:map[f:1e-05 g:0.5 m:123456 n:1e+06 neg:-2.25] b:[1 two <nil> true]]',
    );
    assert.equal(goFormat(1234567.5), '1.2345675e+06');
    assert.equal(goFormat([]), '[]');
    assert.equal(goFormat({}), 'map[]');
  });
});

/** The apiserver's own YAML case: repeated keys on lines 5, 12, 14 and 28, unknown fields at three depths. */
const deploymentYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: dupename
  name: web
  unknownMeta: metaVal
  labels:
    app: nginx
spec:
  unknown1: val1
  unknownDupe: valDupe
  unknownDupe: valDupe2
  paused: true
  paused: false
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        unknownNested: val1
        imagePullPolicy: Always
        imagePullPolicy: Never`;

describe('repeated keys of YAML bodies', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
  const raw = Buffer.from(deploymentYaml);
  const decoded = parseBody(raw, 'application/yaml') as Record<string, unknown>;
  const repeats = [
    'line 5: key "name" already set in map',
    'line 12: key "unknownDupe" already set in map',
    'line 14: key "paused" already set in map',
    'line 28: key "imagePullPolicy" already set in map',
  ];

  test('the parser keeps the last value of a repeated key, as the decoder does when not strict', () => {
    assert.equal((decoded.metadata as { name: string }).name, 'web');
  });

  test('Strict: the YAML decoder’s errors first, as one, then the unknown fields in sorted order', () => {
    const body = refusal(() =>
      checkObjectBody(raw, 'application/yaml', decoded, deployment, { fieldValidation: 'Strict' }),
    );
    assert.equal(
      body.message,
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: yaml: unmarshal errors:\n' +
        `  ${repeats.join('\n  ')}, unknown field "metadata.unknownMeta", ` +
        'unknown field "spec.template.spec.containers[0].unknownNested", unknown field "spec.unknown1", ' +
        'unknown field "spec.unknownDupe"',
    );
  });

  test('Warn: one warning per repeated key, then the unknown fields', () => {
    assert.deepEqual(checkObjectBody(raw, 'application/yaml', decoded, deployment, {}), [
      ...repeats,
      'unknown field "metadata.unknownMeta"',
      'unknown field "spec.template.spec.containers[0].unknownNested"',
      'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"',
    ]);
  });

  test('server-side apply: repeated keys of the document (JSON read as YAML) refuse or warn, nothing else', () => {
    const apply = Buffer.from(
      '{\n  "apiVersion": "apps/v1",\n  "kind": "Deployment",\n  "spec": {\n    "paused": false,\n    "paused": true,\n    "unknown": 1\n  }\n}',
    );
    const body = refusal(() => checkApplyDocument('apply', apply, { fieldValidation: 'Strict' }));
    assert.equal(body.code, 400);
    assert.equal(
      body.message,
      'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 6: key "paused" already set in map',
    );
    assert.deepEqual(checkApplyDocument('apply', apply, {}), ['line 6: key "paused" already set in map']);
    assert.deepEqual(checkApplyDocument('apply', apply, { fieldValidation: 'Ignore' }), []);
    assert.deepEqual(checkApplyDocument('merge', apply, { fieldValidation: 'Strict' }), []);
  });
});
