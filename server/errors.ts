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
