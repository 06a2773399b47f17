import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkForPlayer,
  checksFileSchema,
  evaluateCheck,
  matchesExpectation,
  readPath,
  type Check,
} from '../../../server/lessons/checks.ts';

const pod = {
  metadata: { name: 'hello-world', labels: { app: 'hello' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ports: [{ nodePort: 30000 }] },
  status: { phase: 'Pending', readyReplicas: 2 },
};

function check(fields: Partial<Check>): Check {
  return checksFileSchema.parse({
    checks: [{ id: 'c1', kind: 'Pod', name: 'hello-world', message: { en: 'english', fr: 'français' }, ...fields }],
  }).checks[0] as Check;
}

describe('check paths and comparisons', () => {
  test('a dotted path with an index reads nested values', () => {
    assert.equal(readPath(pod, 'spec.containers[0].image'), 'nginx:1.27');
    assert.equal(readPath(pod, 'spec.containers[3].image'), undefined);
  });

  test('comparisons follow the written operator', () => {
    assert.ok(matchesExpectation(3, '>=3'));
    assert.ok(!matchesExpectation(2, '>=3'));
    assert.ok(matchesExpectation(5, '<=5'));
    assert.ok(matchesExpectation(1, '>0'));
    assert.ok(!matchesExpectation(undefined, '>0'));
    assert.ok(matchesExpectation(1, '<2'));
    assert.ok(matchesExpectation('Running', '!=Pending'));
    assert.ok(!matchesExpectation('Pending', '!=Pending'));
    assert.ok(matchesExpectation(30000, 30000));
    assert.ok(matchesExpectation('30000', 30000));
    assert.ok(!matchesExpectation(undefined, 'Running'));
  });
});

describe('evaluateCheck', () => {
  test('a pending pod fails a Running check with the learner message and what was found', () => {
    const result = evaluateCheck(check({ expect: { phase: 'Running' } }), { by: 'name', object: pod }, 'en');
    assert.equal(result.passed, false);
    assert.equal(result.message, 'english');
    assert.equal(result.detail, 'status.phase is "Pending", expected "Running"');
  });

  test("what was found is told in the learner's language, with the cluster's paths and values as they are", () => {
    const detail = (lang: string) =>
      evaluateCheck(check({ expect: { phase: 'Running' } }), { by: 'name', object: pod }, lang).detail;
    assert.equal(detail('fr'), 'status.phase vaut "Pending", attendu "Running"');
    assert.equal(detail('ru'), 'status.phase = "Pending", ожидалось "Running"');
    assert.equal(detail('zh'), 'status.phase 为 "Pending"，应为 "Running"');
    assert.match(evaluateCheck(check({}), { by: 'name', object: undefined }, 'ru').detail, /не найден$/);
    assert.match(evaluateCheck(check({}), { by: 'name', object: undefined }, 'zh').detail, /^未找到 /);
  });

  test("a failing check shows no more of the cluster than it needs: no Secret data, no subtree, no long value", () => {
    const detail = (kind: string, expect: Record<string, unknown>, object: unknown) =>
      evaluateCheck(check({ kind, name: 'db', expect }), { by: 'name', object }, 'en').detail;
    const secret = { metadata: { name: 'db' }, type: 'Opaque', data: { password: 'czNjcjN0' } };
    assert.equal(detail('Secret', { 'data.password': 'x' }, secret), 'data.password is (hidden), expected "x"');
    assert.equal(detail('Secret', { data: 'x' }, secret), 'data is (hidden), expected "x"');
    assert.equal(detail('Secret', { type: 'kubernetes.io/tls' }, secret), 'type is "Opaque", expected "kubernetes.io/tls"');
    assert.equal(detail('Pod', { spec: 'x' }, pod), 'spec is {…}, expected "x"');
    assert.equal(detail('Pod', { 'spec.containers': 'x' }, pod), 'spec.containers is […], expected "x"');
    const long = { ...pod, status: { phase: 'P'.repeat(500) } };
    const shown = detail('Pod', { phase: 'Running' }, long);
    assert.equal(shown, `status.phase is "${'P'.repeat(58)}…, expected "Running"`);
  });

  test('short paths fall back to status then spec; full paths work too', () => {
    const c = check({ expect: { readyReplicas: '>=2', 'spec.containers[0].image': 'nginx:1.27', 'ports[0].nodePort': 30000 } });
    assert.equal(evaluateCheck(c, { by: 'name', object: pod }, 'en').passed, true);
  });

  test('a missing object fails, unless the check expects it gone', () => {
    assert.equal(evaluateCheck(check({ expect: {} }), { by: 'name', object: undefined }, 'en').passed, false);
    assert.equal(evaluateCheck(check({ expect: { exists: false } }), { by: 'name', object: undefined }, 'en').passed, true);
    assert.equal(evaluateCheck(check({ expect: { exists: false } }), { by: 'name', object: pod }, 'en').passed, false);
  });

  test('the message is in the requested language, English when not translated', () => {
    assert.equal(evaluateCheck(check({}), { by: 'name', object: undefined }, 'fr').message, 'français');
    assert.equal(evaluateCheck(check({}), { by: 'name', object: undefined }, 'de').message, 'english');
  });

  test('a label selector check counts matching objects and checks each one', () => {
    const c = check({ name: undefined, labelSelector: 'app=hello', expect: { count: '>=3', phase: 'Running' } });
    const running = { ...pod, status: { phase: 'Running' } };
    assert.equal(evaluateCheck(c, { by: 'selector', items: [running, running] }, 'en').passed, false);
    assert.equal(evaluateCheck(c, { by: 'selector', items: [running, running, running] }, 'en').passed, true);
    assert.equal(evaluateCheck(c, { by: 'selector', items: [running, running, pod] }, 'en').passed, false);
  });

  test('a selector check with exists: false passes only when nothing matches', () => {
    const c = check({ name: undefined, labelSelector: 'app=hello', expect: { exists: false } });
    assert.equal(evaluateCheck(c, { by: 'selector', items: [] }, 'en').passed, true);
    assert.equal(evaluateCheck(c, { by: 'selector', items: [pod] }, 'en').passed, false);
  });

  test('a check naming both a name and a selector, or an unknown kind, is refused', () => {
    assert.throws(() => check({ labelSelector: 'app=hello' }));
    assert.throws(() => check({ kind: 'Spaceship' }));
  });

  test('a field selector finds objects without labels and takes the pilot name', () => {
    const seen = check({
      kind: 'Event',
      name: undefined,
      fieldSelector: 'involvedObject.kind=Pod,involvedObject.name={player:han}-falcon',
      expect: { count: '>=1' },
    });
    const filled = checkForPlayer(seen, 'rey');
    assert.ok('check' in filled);
    assert.equal(filled.check.fieldSelector, 'involvedObject.kind=Pod,involvedObject.name=rey-falcon');
    assert.equal(evaluateCheck(seen, { by: 'selector', items: [] }, 'en').passed, false);
    assert.equal(evaluateCheck(seen, { by: 'selector', items: [{ metadata: { name: 'e1' } }] }, 'en').passed, true);
    assert.throws(() => check({ fieldSelector: 'involvedObject.name=x' }), 'a name and a field selector');
  });

  test('"!=" with nothing after it asks only that the field is set, whatever its value', () => {
    assert.equal(matchesExpectation(80, '!='), true);
    assert.equal(matchesExpectation('http', '!='), true);
    assert.equal(matchesExpectation(undefined, '!='), false);
  });
});

describe('checks that run a command in a pod', () => {
  const execCheck = check({ exec: { command: ['cat', '/etc/credentials/username'] }, expect: { stdout: 'admin' } });
  const running = { ...pod, status: { phase: 'Running' } };

  test("the command's output and exit code are what expect reads", () => {
    const passed = evaluateCheck(execCheck, { by: 'exec', pod: running, result: { stdout: 'admin', stderr: '', exitCode: 0 } }, 'en');
    assert.equal(passed.passed, true);
    const failed = evaluateCheck(execCheck, { by: 'exec', pod: running, result: { stdout: '', stderr: 'cat: no such file', exitCode: 1 } }, 'en');
    assert.deepEqual([failed.passed, failed.detail], [false, 'stdout is "", expected "admin"']);
  });

  test('no pod, or a pod not running yet, fails without running anything', () => {
    assert.equal(evaluateCheck(execCheck, { by: 'exec', pod: undefined }, 'en').detail, 'Pod hello-world not found');
    assert.equal(
      evaluateCheck(execCheck, { by: 'exec', pod }, 'en').detail,
      'status.phase is "Pending", expected "Running"',
    );
  });

  test('only a Pod check may run a command', () => {
    assert.throws(() => check({ kind: 'Service', exec: { command: ['true'] } }), /runs a command \(exec\) only in a Pod/);
  });
});
