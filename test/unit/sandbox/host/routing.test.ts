import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { bearerToken, claimedCluster } from '../../../../server/sandbox/host/routing.ts';

const jwt = (claims: unknown, header: unknown = { alg: 'RS256', typ: 'JWT' }) =>
  [header, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2ln';

test('a ServiceAccount token is routed by its cluster claim, read without verifying it', () => {
  assert.equal(
    claimedCluster(jwt({ sub: 'system:serviceaccount:default:ci', 'kubewars.io/cluster': 'rey' })),
    'rey',
  );
});

test('tokens that are not JWTs naming a cluster claim none', () => {
  assert.equal(claimedCluster('rey-token-0123456789ab'), undefined);
  assert.equal(claimedCluster(jwt({ sub: 'someone' })), undefined);
  assert.equal(claimedCluster(jwt({ 'kubewars.io/cluster': 7 })), undefined);
  assert.equal(claimedCluster('a.!!!.c'), undefined);
  assert.equal(claimedCluster(`x.${Buffer.from('not json').toString('base64url')}.y`), undefined);
});

test('the bearer token of a request, whatever the scheme’s case and surrounding spaces', () => {
  const request = (authorization?: string) =>
    ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;
  assert.equal(bearerToken(request('Bearer abc ')), 'abc');
  assert.equal(bearerToken(request('bearer   abc')), 'abc');
  assert.equal(bearerToken(request('Basic dXNlcjpwYXNz')), undefined);
  assert.equal(bearerToken(request()), undefined);
});
