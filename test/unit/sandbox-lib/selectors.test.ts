import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  fieldSelectorFields,
  matchesFieldSelector,
  parseFieldSelector,
} from '../../../server/sandbox/query/field-selector.ts';
import {
  formatLabelSelector,
  labelSelectorFromSpec,
  matchesLabelSelector,
  parseLabelSelector,
  SelectorParseError,
  selectorFromMap,
} from '../../../server/sandbox/query/label-selector.ts';

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

  test('malformed selectors are refused with the apiserver wording', () => {
    for (const text of ['app=web)', 'tier in (front', 'a b c', 'app=bad value!', 'Bad_Prefix.com/x=1', ',']) {
      assert.throws(() => parseLabelSelector(text), SelectorParseError, text);
    }
    assert.throws(() => parseLabelSelector('app=-web'), /unable to parse requirement/);
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
      fc.record({ key, operator: fc.constantFrom('=' as const, '!=' as const), values: fc.tuple(value) }),
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
        assert.equal(formatLabelSelector(parseLabelSelector(text)), text);
      }),
    );
  });

  test('parsing arbitrary text either succeeds or throws a SelectorParseError (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
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
    spec: { nodeName: 'node-1' },
    status: { phase: 'Running' },
  };

  test('a pod is selected by name, node and phase, with = and !=', () => {
    const fields = fieldSelectorFields('Pod', pod);
    assert.equal(
      matchesFieldSelector(parseFieldSelector('status.phase=Running,spec.nodeName=node-1'), fields),
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

  test('a term without an operator is refused', () => {
    assert.throws(() => parseFieldSelector('status.phase'), /invalid selector/);
  });
});
