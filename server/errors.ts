/**
 * A failure the user can act on: the CLI prints `message` and `hint` (the next step) on one line, joined by " — ",
 * and exits 1, without a stack trace.
 */
export class UserError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
  }
}

/**
 * The HTTP status code carried by a failed Kubernetes call: a thrown Status (the sandbox's ApiError), a
 * @kubernetes/client-node ApiException (`code`) or an HTTP error (`statusCode`); undefined for anything else.
 */
export function statusCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { status?: { code?: unknown }; code?: unknown; statusCode?: unknown };
  if (typeof candidate.status === 'object' && typeof candidate.status?.code === 'number')
    return candidate.status.code;
  if (typeof candidate.code === 'number') return candidate.code;
  return typeof candidate.statusCode === 'number' ? candidate.statusCode : undefined;
}
