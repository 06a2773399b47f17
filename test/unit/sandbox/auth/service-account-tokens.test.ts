import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRegistry } from '../../../../server/sandbox/registry/index.ts';
import {
  CLUSTER_CLAIM,
  issueBoundToken,
  serviceAccountAuthenticator,
  type ServiceAccountTokens,
} from '../../../../server/sandbox/auth/service-account-tokens.ts';
import { jwtSigner, loadSigningKey } from '../../../../server/sandbox/auth/signing-key.ts';
import { answerTokenRequest } from '../../../../server/sandbox/auth/token-request.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const SA = { group: '', resource: 'serviceaccounts' };
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as IncomingMessage;

function setup() {
  const clock = new FakeClock(Date.parse('2026-12-05T12:00:00Z'));
  const registry = createRegistry({ clock, random: Math.random });
  const account = registry.create(SA, 'default', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'bot' },
  });
  const tokens: ServiceAccountTokens = {
    signer: jwtSigner(loadSigningKey()),
    client: registry,
    now: () => clock.now(),
    clusterId: 'room-7',
  };
  return { clock, registry, account, tokens, authenticator: serviceAccountAuthenticator(tokens) };
}

test('a TokenRequest token authenticates as the account, with its groups and uid, until it expires', () => {
  const { clock, account, tokens, authenticator } = setup();
  const answer = answerTokenRequest(tokens, 'default', 'bot', {});
  const status = answer.status as { token: string; expirationTimestamp: string };
  assert.equal(status.expirationTimestamp, '2026-12-05T13:00:00Z');
  const payload = JSON.parse(
    Buffer.from(status.token.split('.')[1] as string, 'base64url').toString(),
  ) as Record<string, unknown>;
  assert.equal(payload[CLUSTER_CLAIM], 'room-7');
  const identity = authenticator.authenticate(bearer(status.token));
  assert.equal(identity?.user, 'system:serviceaccount:default:bot');
  assert.equal(identity?.uid, account.metadata.uid);
  assert.deepEqual(identity?.groups, [
    'system:serviceaccounts',
    'system:serviceaccounts:default',
    'system:authenticated',
  ]);
  clock.advance(3601_000);
  assert.equal(authenticator.authenticate(bearer(status.token)), undefined);
});

test('a token stops working when its account is deleted, even if one of the same name is made again', () => {
  const { registry, tokens, authenticator } = setup();
  const { token } = issueBoundToken(tokens, registry.get(SA, 'default', 'bot'), {
    audiences: ['https://kubernetes.default.svc.cluster.local'],
    expirationSeconds: 3600,
  });
  registry.delete(SA, 'default', 'bot');
  registry.create(SA, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } });
  assert.equal(authenticator.authenticate(bearer(token)), undefined);
});

test('tokens for another audience, another cluster, or signed by another key are refused', () => {
  const { registry, tokens, authenticator } = setup();
  const account = registry.get(SA, 'default', 'bot');
  const request = { audiences: ['vault'], expirationSeconds: 3600 };
  assert.equal(
    authenticator.authenticate(bearer(issueBoundToken(tokens, account, request).token)),
    undefined,
  );
  const ok = { ...request, audiences: ['https://kubernetes.default.svc.cluster.local'] };
  assert.equal(
    authenticator.authenticate(bearer(issueBoundToken({ ...tokens, clusterId: 'main' }, account, ok).token)),
    undefined,
  );
  const otherKey = { ...tokens, signer: jwtSigner(loadSigningKey()) };
  assert.equal(authenticator.authenticate(bearer(issueBoundToken(otherKey, account, ok).token)), undefined);
  assert.ok(authenticator.authenticate(bearer(issueBoundToken(tokens, account, ok).token)));
});

test('the lifetime has the apiserver’s minimum, and the key kept in a file signs the same after a restart', () => {
  const { tokens } = setup();
  assert.throws(
    () => answerTokenRequest(tokens, 'default', 'bot', { spec: { expirationSeconds: 599 } }),
    /spec\.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes/,
  );
  assert.throws(
    () => answerTokenRequest(tokens, 'default', 'nobody', {}),
    /serviceaccounts "nobody" not found/,
  );
  const path = join(mkdtempSync(join(tmpdir(), 'kubewars-sa-key-')), 'sa.key');
  const first = jwtSigner(loadSigningKey(path));
  const again = jwtSigner(loadSigningKey(path));
  assert.deepEqual(again.verify(first.sign({ sub: 'x' })), { sub: 'x' });
});
