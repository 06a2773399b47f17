// Which labels a workload's selector picks: apps/v1 LabelSelector objects and the plain maps of v1 RCs and Services.

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** An empty or missing selector matches nothing here: controllers must never grab every pod in a namespace. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const own = labels ?? {};
  const entries = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (entries.length === 0 && expressions.length === 0) return false;
  for (const [key, value] of entries) if (own[key] !== value) return false;
  return expressions.every(({ key, operator, values = [] }) => {
    const present = Object.hasOwn(own, key);
    switch (operator) {
      case 'In':
        return present && values.includes(own[key] ?? '');
      case 'NotIn':
        return !present || !values.includes(own[key] ?? '');
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
      default:
        return false;
    }
  });
}

export function mapSelector(map: Record<string, string> | undefined): LabelSelector | undefined {
  return map && Object.keys(map).length ? { matchLabels: map } : undefined;
}
