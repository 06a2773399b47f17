// Any error thrown while serving a request, as the Status a real apiserver would answer.
import { PatchError } from '../patch/errors.ts';
import { ApplyConflictError } from '../patch/server-side-apply.ts';
import { FieldSelectorError } from '../query/field-selector.ts';
import { SelectorParseError } from '../query/label-selector.ts';
import type { StatusBody } from './status.ts';
import { HttpStatusError, statusBody } from './status.ts';

const isStatus = (value: unknown): value is StatusBody =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';

export function errorStatus(error: unknown): StatusBody {
  if (error instanceof HttpStatusError) return error.body;
  const carried = (error as { status?: unknown } | null)?.status;
  if (isStatus(carried)) return carried;
  if (error instanceof SelectorParseError || error instanceof FieldSelectorError) {
    return statusBody(400, 'BadRequest', error.message);
  }
  if (error instanceof ApplyConflictError) {
    return statusBody(409, 'Conflict', error.message, {
      causes: error.conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${c.manager}"`,
        field: c.field,
      })),
    });
  }
  if (error instanceof PatchError) return statusBody(422, 'Invalid', error.message);
  return statusBody(
    500,
    'InternalError',
    `Internal error occurred: ${(error as Error)?.message ?? String(error)}`,
  );
}
