// Values of the wrong type in a body, worded as Go's JSON decoder words them for the apiserver's 400.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonTree } from '../../../../server/sandbox/validation-fields/json-tree.ts';
import { typeMismatch } from '../../../../server/sandbox/validation-fields/types.ts';

const check = (apiVersion: string, kind: string, body: object, statusIgnored = true) =>
  typeMismatch(jsonTree(JSON.stringify({ apiVersion, kind, ...body })), apiVersion, kind, { statusIgnored });

const container = (extra: object) => ({
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...extra }] },
});

test('a number that is not an int32 is named with its text', () => {
  assert.equal(
    check('apps/v1', 'Deployment', { spec: { replicas: 1.5 } }),
    'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.equal(
    check('apps/v1', 'Deployment', { spec: { replicas: 3_000_000_000 } }),
    'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
});

test('int-or-string fields and quantities take a string or a number, and nothing else', () => {
  assert.equal(
    check(
      'v1',
      'Pod',
      container({ readinessProbe: { httpGet: { port: 'http' } }, resources: { limits: { cpu: 1 } } }),
    ),
    undefined,
  );
  assert.equal(check('v1', 'Pod', container({ livenessProbe: { tcpSocket: { port: 8080 } } })), undefined);
  assert.equal(
    check('v1', 'Pod', container({ livenessProbe: { tcpSocket: { port: true } } })),
    'json: cannot unmarshal bool into Go value of type int32',
  );
  assert.match(
    check('v1', 'Pod', container({ resources: { limits: { memory: 'lots' } } })) ?? '',
    /^quantities must match the regular expression/,
  );
});

test('a null value is the zero value, as Go decodes it', () => {
  assert.equal(check('apps/v1', 'Deployment', { spec: { replicas: null, selector: null } }), undefined);
});

test('a null list item is refused, except in a status the write drops', () => {
  const status = { status: { containerStatuses: [null] } };
  assert.equal(check('v1', 'Pod', status), undefined);
  assert.equal(
    check('v1', 'Pod', status, false),
    'status.containerStatuses[0]: a list item is null: give the item or leave it out of the list',
  );
  assert.match(
    check('v1', 'Pod', { spec: { containers: [null] } }) ?? '',
    /^spec\.containers\[0\]: a list item is null/,
  );
});

test('kinds without a schema here are not checked', () => {
  assert.equal(check('example.com/v1', 'Widget', { spec: { replicas: 'three' } }), undefined);
});

test('a tree is read from text nested as deep as Go allows', () => {
  const depth = 10_000;
  const tree = jsonTree(`{"a":${'['.repeat(depth)}${']'.repeat(depth)},"b":{"c":1}}`);
  assert.equal(tree.type, 'object');
  assert.deepEqual(tree.type === 'object' ? tree.entries.map(([key]) => key) : [], ['a', 'b']);
});
