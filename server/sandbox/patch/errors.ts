/** A patch that cannot be applied: the apiserver answers it with 422 (or 400 for a malformed patch). */
export class PatchError extends Error {}
