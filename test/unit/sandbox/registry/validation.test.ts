import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../../server/sandbox/errors.ts';
import { DEPLOYMENTS, NAMESPACES, newRegistry, pod, PODS } from '../support.ts';

const invalidMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 422);
    assert.equal(error.status.reason, 'Invalid');
    return error.message;
  }
  assert.fail('expected Invalid');
};

const deployment = (selector: Record<string, string>, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: selector },
    template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('registry validation', () => {
  test('an upper-case name is refused with the RFC 1123 message', () => {
    const { registry } = newRegistry();
    const message = invalidMessage(() => registry.create(PODS, 'default', pod('Bad')));
    assert.match(
      message,
      /^Pod "Bad" is invalid: metadata\.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of/,
    );
  });

  test("a Namespace name is a DNS label: too long and dotted names get the apiserver's own messages", () => {
    const { registry } = newRegistry();
    const namespace = (name: string) => () =>
      registry.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const long = 'a'.repeat(64);
    assert.equal(
      invalidMessage(namespace(long)),
      `Namespace "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 63 characters`,
    );
    assert.equal(
      invalidMessage(namespace('team.a')),
      'Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots',
    );
  });

  test('a label with a bad key and a bad value gets one cause for each', () => {
    const { registry } = newRegistry();
    try {
      registry.create(PODS, 'default', pod('x', {}, { 'bad key': 'bad value' }));
      assert.fail('expected Invalid');
    } catch (error) {
      assert.ok(error instanceof ApiError);
      const causes = error.status.details?.causes ?? [];
      assert.deepEqual(
        causes.map((cause) => [cause.reason, cause.field]),
        [
          ['FieldValueInvalid', 'metadata.labels'],
          ['FieldValueInvalid', 'metadata.labels'],
        ],
      );
      assert.match(causes[0]?.message ?? '', /^Invalid value: "bad key": name part must consist of/);
      assert.match(
        causes[1]?.message ?? '',
        /^Invalid value: "bad value": a valid label must be an empty string/,
      );
    }
  });

  test('a pod without containers is refused', () => {
    const { registry } = newRegistry();
    const message = invalidMessage(() => registry.create(PODS, 'default', { ...pod('x'), spec: {} }));
    assert.equal(message, 'Pod "x" is invalid: spec.containers: Required value');
  });

  test('a selector that does not match the template labels is refused', () => {
    const { registry } = newRegistry();
    const message = invalidMessage(() =>
      registry.create(DEPLOYMENTS, 'default', deployment({ app: 'a' }, { app: 'b' })),
    );
    assert.match(message, /`selector` does not match template `labels`/);
  });

  test('a deployment selector cannot change', () => {
    const { registry } = newRegistry();
    const created = registry.create(DEPLOYMENTS, 'default', deployment({ app: 'a' }, { app: 'a', v: '1' }));
    const changed = deployment({ app: 'a', v: '1' }, { app: 'a', v: '1' });
    const message = invalidMessage(() =>
      registry.update(DEPLOYMENTS, 'default', { ...changed, metadata: created.metadata }),
    );
    assert.match(message, /spec\.selector: Invalid value: .*field is immutable/);
  });

  test('a bad label key is refused', () => {
    const { registry } = newRegistry();
    const message = invalidMessage(() => registry.create(PODS, 'default', pod('x', {}, { 'bad key': 'v' })));
    assert.match(message, /metadata\.labels: Invalid value: "bad key"/);
  });
});
