// The instructor's settings of a namespace room, as the command line gives them: each attendee's ResourceQuota
// (`--attendee-quota pods=20,requests.cpu=2,requests.memory=2Gi`) and their token's lifetime (`--attendee-token-ttl 12h`).

/** What an attendee's namespace may hold when the instructor says nothing: every lesson fits in it. */
export const DEFAULT_ATTENDEE_QUOTA: Readonly<Record<string, string>> = {
  pods: '20',
  'requests.cpu': '2',
  'requests.memory': '2Gi',
};

export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600;
/** The apiserver refuses TokenRequests shorter than ten minutes. */
const MIN_TOKEN_TTL_SECONDS = 600;

/** A Kubernetes quantity: a decimal number with an optional SI/binary suffix or exponent (1, 500m, 2Gi, 1e3). */
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)([numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;
/** ResourceQuota names: a resource (pods, services, requests.cpu, count/deployments.apps, requests.storage …). */
const RESOURCE_NAME = /^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$/;

/**
 * `pods=20,requests.cpu=2` → the ResourceQuota's `spec.hard`, over the defaults (a resource given replaces its
 * default; `name=` with no value drops it). Throws an Error whose message says what is wrong.
 */
export function parseAttendeeQuota(text: string): Record<string, string> {
  const hard: Record<string, string> = { ...DEFAULT_ATTENDEE_QUOTA };
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) throw new Error('expected resource=quantity pairs, e.g. pods=20,requests.cpu=2.');
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals < 1) throw new Error(`"${entry}" is not resource=quantity (e.g. pods=20).`);
    const resource = entry.slice(0, equals).trim();
    const quantity = entry.slice(equals + 1).trim();
    if (!RESOURCE_NAME.test(resource))
      throw new Error(`"${resource}" is not a resource name (e.g. pods, requests.cpu).`);
    if (quantity === '') {
      delete hard[resource];
      continue;
    }
    if (!QUANTITY.test(quantity))
      throw new Error(`"${quantity}" (for ${resource}) is not a quantity such as 20, 500m or 2Gi.`);
    hard[resource] = quantity;
  }
  return hard;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `12h`, `90m`, `1d`, `3600` (seconds) → seconds; at least ten minutes, as the apiserver requires. */
export function parseTokenTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration such as 12h, 90m or 1d.`);
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] as number);
  if (seconds < MIN_TOKEN_TTL_SECONDS)
    throw new Error(`"${text}" is shorter than 10 minutes, the shortest token a cluster issues.`);
  return seconds;
}
