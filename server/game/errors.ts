/** A game action a user asked for that cannot be done: the web layer answers with `status` and the message. */
export class GameError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'GameError';
  }
}
