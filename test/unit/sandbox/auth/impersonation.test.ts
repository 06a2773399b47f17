import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import type { Identity, ResourceAttributes } from '../../../../server/sandbox/api/auth.ts';
import { impersonatedIdentity } from '../../../../server/sandbox/auth/impersonation.ts';

const request = (headers: Record<string, string[]>) =>
  ({ headersDistinct: headers }) as unknown as IncomingMessage;
const caller: Identity = { user: 'admin', groups: ['system:masters', 'system:authenticated'] };

test('each impersonated part is authorised as the apiserver names it, a ServiceAccount as its object', () => {
  const asked: ResourceAttributes[] = [];
  const identity = impersonatedIdentity(
    request({ 'impersonate-user': ['system:serviceaccount:dev:bot'], 'impersonate-group': ['ops', 'qa'] }),
    caller,
    (attributes) => asked.push(attributes),
  );
  assert.deepEqual(asked, [
    { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: 'dev', name: 'bot' },
    { verb: 'impersonate', group: '', resource: 'groups', name: 'ops' },
    { verb: 'impersonate', group: '', resource: 'groups', name: 'qa' },
  ]);
  assert.deepEqual(identity, {
    user: 'system:serviceaccount:dev:bot',
    groups: ['ops', 'qa', 'system:authenticated'],
  });
});

test('a ServiceAccount impersonated without groups gets its own; no headers leave the caller as is', () => {
  const identity = impersonatedIdentity(
    request({ 'impersonate-user': ['system:serviceaccount:dev:bot'] }),
    caller,
    () => {},
  );
  assert.deepEqual(identity.groups, [
    'system:serviceaccounts',
    'system:serviceaccounts:dev',
    'system:authenticated',
  ]);
  assert.equal(
    impersonatedIdentity(request({}), caller, () => assert.fail('nothing to authorise')),
    caller,
  );
});

test('a refusal stops impersonation, and groups without a user are a bad request', () => {
  const refuse = () => {
    throw new Error('forbidden');
  };
  assert.throws(
    () => impersonatedIdentity(request({ 'impersonate-user': ['bob'] }), caller, refuse),
    /forbidden/,
  );
  assert.throws(
    () => impersonatedIdentity(request({ 'impersonate-group': ['ops'] }), caller, () => {}),
    /without impersonating a user/,
  );
});
