import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attendeeNamespace, viewBindingName } from '../../../../server/room/namespace/naming.ts';
import {
  DEFAULT_ATTENDEE_QUOTA,
  DEFAULT_TOKEN_TTL_SECONDS,
  parseAttendeeQuota,
  parseTokenTtl,
} from '../../../../server/room/namespace/settings.ts';

describe('--attendee-quota', () => {
  test('the defaults fit every lesson: 20 pods, 2 cpu and 2Gi of requests', () => {
    assert.deepEqual(DEFAULT_ATTENDEE_QUOTA, { pods: '20', 'requests.cpu': '2', 'requests.memory': '2Gi' });
  });

  test('given resources replace their default, new ones are added, "name=" drops one', () => {
    assert.deepEqual(parseAttendeeQuota('pods=50, count/deployments.apps=10,requests.memory='), {
      pods: '50',
      'requests.cpu': '2',
      'count/deployments.apps': '10',
    });
    assert.deepEqual(parseAttendeeQuota('requests.cpu=500m,limits.memory=1.5Gi,services=1e1'), {
      ...DEFAULT_ATTENDEE_QUOTA,
      'requests.cpu': '500m',
      'limits.memory': '1.5Gi',
      services: '1e1',
    });
  });

  test('a malformed quota says what is wrong', () => {
    assert.throws(() => parseAttendeeQuota(''), /resource=quantity pairs/);
    assert.throws(() => parseAttendeeQuota('pods'), /"pods" is not resource=quantity/);
    assert.throws(() => parseAttendeeQuota('=3'), /"=3" is not resource=quantity/);
    assert.throws(() => parseAttendeeQuota('Pods=3'), /"Pods" is not a resource name/);
    assert.throws(() => parseAttendeeQuota('pods=twenty'), /"twenty" \(for pods\) is not a quantity/);
    assert.throws(() => parseAttendeeQuota('requests.memory=2GB'), /"2GB" \(for requests.memory\)/);
    assert.throws(() => parseAttendeeQuota('pods=-1'), /is not a quantity/);
  });
});

describe('--attendee-token-ttl', () => {
  test('durations in seconds, minutes, hours and days; 12 hours by default', () => {
    assert.equal(DEFAULT_TOKEN_TTL_SECONDS, 43_200);
    assert.equal(parseTokenTtl('12h'), 43_200);
    assert.equal(parseTokenTtl('90m'), 5400);
    assert.equal(parseTokenTtl('1d'), 86_400);
    assert.equal(parseTokenTtl('3600'), 3600);
    assert.equal(parseTokenTtl('600s'), 600);
  });

  test('shorter than the ten minutes a cluster issues, or not a duration, is refused', () => {
    assert.throws(() => parseTokenTtl('5m'), /shorter than 10 minutes/);
    assert.throws(() => parseTokenTtl('1.5h'), /not a duration/);
    assert.throws(() => parseTokenTtl('12 hours'), /not a duration/);
  });
});

describe('attendee namespaces', () => {
  test('a plain name is kw-<name>', () => {
    assert.equal(attendeeNamespace('rey'), 'kw-rey');
    assert.equal(attendeeNamespace('x-wing-2'), 'kw-x-wing-2');
    assert.equal(viewBindingName('kw-rey'), 'kw-rey-view');
  });

  test('names a namespace cannot hold get one of their own, within 63 characters', () => {
    const names = ['Rey', 'a_b', 'a.b', 'a-b', 'x'.repeat(63), `${'x'.repeat(62)}y`];
    const namespaces = names.map(attendeeNamespace);
    assert.equal(new Set(namespaces).size, names.length, 'no two share a namespace');
    for (const namespace of namespaces) {
      assert.match(namespace, /^kw-[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      assert.ok(namespace.length <= 63, namespace);
    }
    assert.match(attendeeNamespace('Rey'), /^kw-rey-[0-9a-f]{6}$/);
    assert.equal(attendeeNamespace('a_b'), attendeeNamespace('a_b'), 'the same name, the same namespace');
  });
});
