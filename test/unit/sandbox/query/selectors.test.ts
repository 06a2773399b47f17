import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  FieldSelectorError,
  fieldSelectorFields,
  matchesFieldSelector,
  parseFieldSelector,
  supportedFields,
  unsupportedFieldMessage,
} from '../../../../server/sandbox/query/field-selector.ts';
import {
  formatLabelSelector,
  labelSelectorFromSpec,
  matchesLabelSelector,
  parseLabelSelector,
  SelectorParseError,
  selectorFromMap,
} from '../../../../server/sandbox/query/label-selector.ts';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', game: 'starwars' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['tier in (front,back)', true],
    ['tier notin (front)', false],
    ['tier notin (back)', true],
    ['missing notin (x)', true],
    ['game', true],
    ['!game', false],
    ['!canary', true],
    ['app=web, tier in (front), !canary', true],
    ['app=web,tier=back', false],
  ];
  for (const [text, expected] of cases) {
    test(`"${text}" ${expected ? 'matches' : 'does not match'} app=web,tier=front,game=starwars`, () => {
      assert.equal(matchesLabelSelector(parseLabelSelector(text), labels), expected);
    });
  }

  const nameRule =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const refusals: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['env IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ['a:', `unable to parse requirement: <nil>: Invalid value: "a:": name part ${nameRule}`],
    ['app=bad value', "found 'value', expected: ',' or 'end of string'"],
    ['app=web)', "found ')', expected: ',' or 'end of string'"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    [',', "found ',', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    [
      'a>x',
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      `x=${'v'.repeat(64)}`,
      `unable to parse requirement: values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    ],
  ];
  for (const [text, message] of refusals) {
    test(`"${text}" is refused with the apiserver's message`, () => {
      assert.throws(
        () => parseLabelSelector(text),
        (error: unknown) => error instanceof SelectorParseError && error.message === message,
      );
    });
  }

  test('values may be empty, repeated or named like operators, and print sorted', () => {
    assert.equal(
      formatLabelSelector(parseLabelSelector('x in (foo,,baz),y,z notin ()')),
      'x in (,baz,foo),y,z notin ()',
    );
    assert.equal(formatLabelSelector(parseLabelSelector('in in (in), a==b, c!=d')), 'a==b,c!=d,in in (in)');
    assert.equal(matchesLabelSelector(parseLabelSelector('tier='), { tier: '' }), true);
  });

  test('gt and lt compare integer label values', () => {
    const selector = parseLabelSelector('replicas>2,replicas<5');
    assert.equal(matchesLabelSelector(selector, { replicas: '3' }), true);
    assert.equal(matchesLabelSelector(selector, { replicas: '5' }), false);
    assert.equal(matchesLabelSelector(selector, { replicas: 'many' }), false);
    assert.equal(matchesLabelSelector(selector, {}), false);
  });

  test('a workload selector spec matches by labels and expressions; a missing one selects nothing', () => {
    const selector = labelSelectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }],
    });
    assert.equal(matchesLabelSelector(selector, labels), true);
    assert.equal(matchesLabelSelector(labelSelectorFromSpec({}), labels), true);
    assert.equal(matchesLabelSelector(labelSelectorFromSpec(undefined), labels), false);
    assert.equal(matchesLabelSelector(selectorFromMap({}), labels), false);
    assert.equal(formatLabelSelector(selector), 'app=web,tier in (back,front)');
  });

  test('formatting then parsing a selector gives the same selector (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
    const value = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,6}[a-z0-9])?$/);
    const requirement = fc.oneof(
      fc.record({
        key,
        operator: fc.constantFrom('=' as const, '==' as const, '!=' as const),
        values: fc.tuple(value),
      }),
      fc.record({
        key,
        operator: fc.constantFrom('gt' as const, 'lt' as const),
        values: fc.tuple(fc.nat().map(String)),
      }),
      fc.record({
        key,
        operator: fc.constantFrom('in' as const, 'notin' as const),
        values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }).map((values) => values.sort()),
      }),
      fc.record({
        key,
        operator: fc.constantFrom('exists' as const, '!' as const),
        values: fc.constant<string[]>([]),
      }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(requirement, { selector: (r) => r.key, maxLength: 4 }), (selector) => {
        const text = formatLabelSelector(selector);
        const parsed = parseLabelSelector(text);
        assert.equal(formatLabelSelector(parsed), text);
        const expected = selector.map((r) => ({ ...r, values: [...r.values] }));
        assert.deepEqual(
          parsed,
          expected.sort((a, b) => (a.key < b.key ? -1 : 1)),
        );
      }),
    );
  });

  test('parsing arbitrary text either succeeds or throws a SelectorParseError (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z!=(), ]{0,12}$/)), (text) => {
        try {
          parseLabelSelector(text);
        } catch (error) {
          assert.ok(error instanceof SelectorParseError, String(error));
        }
      }),
    );
  });
});

describe('field selectors', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x-wing', namespace: 'rebels' },
    spec: { nodeName: 'worker-1' },
    status: { phase: 'Running' },
  };

  test('a pod is selected by name, node and phase, with = and !=', () => {
    const fields = fieldSelectorFields('Pod', pod);
    assert.equal(
      matchesFieldSelector(parseFieldSelector('status.phase=Running,spec.nodeName=worker-1'), fields),
      true,
    );
    assert.equal(matchesFieldSelector(parseFieldSelector('metadata.name!=x-wing'), fields), false);
    assert.equal(matchesFieldSelector(parseFieldSelector('metadata.namespace==rebels'), fields), true);
  });

  test('escaped commas and equals signs stay inside the value', () => {
    assert.deepEqual(parseFieldSelector('metadata.name=a\\,b\\=c'), [
      { field: 'metadata.name', operator: '=', value: 'a,b=c' },
    ]);
  });

  const refusals: [string, string][] = [
    ['status.phase', "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [text, message] of refusals) {
    test(`"${text}" is refused with the apiserver's message`, () => {
      assert.throws(
        () => parseFieldSelector(text),
        (error: unknown) => error instanceof FieldSelectorError && error.message === message,
      );
    });
  }

  test('empty terms are skipped and == keeps its operator', () => {
    assert.deepEqual(parseFieldSelector('a==b,,c!=d,'), [
      { field: 'a', operator: '==', value: 'b' },
      { field: 'c', operator: '!=', value: 'd' },
    ]);
    assert.deepEqual(parseFieldSelector(''), []);
  });

  test('each kind offers its own fields; counters and flags read as the apiserver prints them', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } };
    assert.equal(fieldSelectorFields('Job', job)['status.successful'], '0');
    assert.equal(fieldSelectorFields('Pod', pod)['spec.hostNetwork'], 'false');
    assert.deepEqual(supportedFields('Secret'), ['metadata.name', 'metadata.namespace', 'type']);
    assert.equal(supportedFields('Deployment').includes('status.replicas'), false);
    assert.equal(unsupportedFieldMessage('spec.foo'), 'field label not supported: spec.foo');
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'x-wing' },
      source: { component: 'kubelet' },
      type: 'Warning',
    };
    const selected = parseFieldSelector('involvedObject.kind=Pod,involvedObject.name=x-wing,source=kubelet');
    assert.equal(matchesFieldSelector(selected, fieldSelectorFields('Event', event)), true);
  });
});
