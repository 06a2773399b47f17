// The fieldValidation directive on request bodies: Strict refuses with the apiserver's status, Warn (the default)
// returns warning texts, Ignore is silent; and the Warning header and Go %+v forms the apiserver writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBody } from '../../../../server/sandbox/api/body.ts';
import { HttpStatusError } from '../../../../server/sandbox/api/status.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { goFormat } from '../../../../server/sandbox/validation-fields/index.ts';
import {
  checkApplyDocument,
  checkObjectBody,
  validatedPatch,
  warningHeader,
  type PatchRun,
} from '../../../../server/sandbox/validation-fields/request.ts';

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

  const withoutTypo = { ...decoded, spec: { restartPolicy: 'Always' } };

  test('Warn, and no directive at all, return the warnings and the body without its unknown fields', () => {
    const expected = {
      warnings: ['unknown field "spec.contianers"', 'duplicate field "spec.restartPolicy"'],
      body: withoutTypo,
    };
    assert.deepEqual(
      checkObjectBody(raw, 'application/json', decoded, pod, { fieldValidation: 'Warn' }),
      expected,
    );
    assert.deepEqual(checkObjectBody(raw, undefined, decoded, pod, {}), expected);
  });

  test('Ignore says nothing but still drops the unknown fields, which have nowhere to go', () => {
    assert.deepEqual(checkObjectBody(raw, 'application/json', decoded, pod, { fieldValidation: 'Ignore' }), {
      warnings: [],
      body: withoutTypo,
    });
  });

  test('a YAML body is checked as decoded, keys sorted', () => {
    const yaml = { ...decoded, spec: { zeta: 1, contianers: [] } };
    assert.deepEqual(checkObjectBody(Buffer.from('ignored'), 'application/yaml', yaml, pod, {}).warnings, [
      'unknown field "spec.contianers"',
      'unknown field "spec.zeta"',
    ]);
  });

  test('a clean body passes under Strict, unchanged', () => {
    const clean =
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}';
    const body = JSON.parse(clean) as Record<string, unknown>;
    const checked = checkObjectBody(Buffer.from(clean), 'application/json', body, pod, {
      fieldValidation: 'Strict',
    });
    assert.deepEqual(checked.warnings, []);
    assert.equal(checked.body, body);
  });
});

/** A registry stand-in: the patch result is given; records previews, real patches and replacements. */
function fakeRun(result: Record<string, unknown>) {
  const calls: string[] = [];
  const run: PatchRun = {
    patch: (preview) => {
      calls.push(preview ? 'preview' : 'patch');
      return result as KubeObject;
    },
    replace: (object) => {
      calls.push(`replace ${JSON.stringify(object.spec)}`);
      return object;
    },
  };
  return { run, calls };
}

describe('fieldValidation on a patch', () => {
  const patched = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { nodeSelecter: { a: 'b' }, restartPolicy: 'Never' },
  };
  const typo = '{"spec":{"nodeSelecter":{"a":"b"}}}';

  test('a patch naming only known fields is applied once, with no preview', () => {
    const { run, calls } = fakeRun({ ...patched, spec: { restartPolicy: 'Never' } });
    const result = validatedPatch(
      run,
      'merge',
      Buffer.from('{"spec":{"restartPolicy":"Never"}}'),
      { spec: { restartPolicy: 'Never' } },
      pod,
      { fieldValidation: 'Strict' },
    );
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(calls, ['patch']);
  });

  test('a strict merge patch is a 422 Invalid quoting the patched object, duplicates of the patch first, nothing stored', () => {
    const { run, calls } = fakeRun(patched);
    const patch = '{"spec":{"nodeSelecter":{"a":"b"},"nodeSelecter":{"a":"b"}}}';
    const body = refusal(() =>
      validatedPatch(run, 'merge', Buffer.from(patch), JSON.parse(patch), pod, { fieldValidation: 'Strict' }),
    );
    const invalid =
      'Invalid value: "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",\\"metadata\\":{\\"name\\":\\"p\\"},' +
      '\\"spec\\":{\\"nodeSelecter\\":{\\"a\\":\\"b\\"},\\"restartPolicy\\":\\"Never\\"}}": strict decoding error: ' +
      'duplicate field "spec.nodeSelecter", unknown field "spec.nodeSelecter"';
    assert.equal(body.code, 422);
    assert.equal(body.reason, 'Invalid');
    assert.equal(body.message, ` "" is invalid: patch: ${invalid}`);
    assert.deepEqual(body.details, {
      causes: [{ reason: 'FieldValueInvalid', message: invalid, field: 'patch' }],
    });
    assert.deepEqual(calls, ['preview']);
  });

  test('a strict strategic merge patch quotes the patch map in Go form', () => {
    const { run } = fakeRun(patched);
    const patch = '{"spec":{"nodeSelecter":{"a":"b"}},"metadata":{"labels":{"x":"1"}}}';
    const body = refusal(() =>
      validatedPatch(run, 'strategic', Buffer.from(patch), JSON.parse(patch), pod, {
        fieldValidation: 'Strict',
      }),
    );
    assert.equal(
      body.message,
      ' "" is invalid: patch: Invalid value: "map[metadata:map[labels:map[x:1]] spec:map[nodeSelecter:map[a:b]]]": ' +
        'strict decoding error: unknown field "spec.nodeSelecter"',
    );
  });

  test('Warn: the warnings, and the patched object stored without its unknown fields in the patch’s stead', () => {
    const { run, calls } = fakeRun(patched);
    const result = validatedPatch(run, 'merge', Buffer.from(typo), JSON.parse(typo), pod, {});
    assert.deepEqual(result.warnings, ['unknown field "spec.nodeSelecter"']);
    assert.deepEqual(result.object.spec, { restartPolicy: 'Never' });
    assert.deepEqual(calls, ['preview', 'replace {"restartPolicy":"Never"}']);
  });

  test('Ignore: silent, the unknown fields still dropped; a dry run stores nothing', () => {
    const ignored = fakeRun(patched);
    const result = validatedPatch(ignored.run, 'merge', Buffer.from(typo), JSON.parse(typo), pod, {
      fieldValidation: 'Ignore',
    });
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(ignored.calls, ['preview', 'replace {"restartPolicy":"Never"}']);
    const dry = fakeRun(patched);
    const dryResult = validatedPatch(dry.run, 'merge', Buffer.from(typo), JSON.parse(typo), pod, {
      dryRun: true,
    });
    assert.deepEqual(dryResult.object.spec, { restartPolicy: 'Never' });
    assert.deepEqual(dry.calls, ['preview']);
  });

  test('a JSON patch is a list of operations: only the patched object counts', () => {
    const { run } = fakeRun(patched);
    const patch = '[{"op":"add","path":"/spec/nodeSelecter","value":{"a":"b"},"value":{"a":"b"}}]';
    assert.deepEqual(validatedPatch(run, 'json', Buffer.from(patch), JSON.parse(patch), pod, {}).warnings, [
      'unknown field "spec.nodeSelecter"',
    ]);
  });

  test('server-side apply is applied as sent: its unknown fields are not strict decoding’s business', () => {
    const { run, calls } = fakeRun(patched);
    const result = validatedPatch(run, 'apply', Buffer.from(typo), JSON.parse(typo), pod, {
      fieldValidation: 'Strict',
    });
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(calls, ['patch']);
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
    assert.deepEqual(checkObjectBody(raw, 'application/yaml', decoded, deployment, {}).warnings, [
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
