// Registry refusals as the Status objects a real kube-apiserver answers (the HTTP layer sends `status` as is).
import type { StatusDetails } from './types.ts';
import { invalidMessage, type Cause } from './validation/causes.ts';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly status: Status;
  readonly code: number;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
}

/** `resource` is the plural, optionally qualified by group as the apiserver prints it (deployments.apps). */
const qualified = (resource: string, group = '') => (group ? `${resource}.${group}` : resource);

export const notFound = (resource: string, name: string, group = '') =>
  new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });

export const alreadyExists = (resource: string, name: string, group = '') =>
  new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });

export const conflict = (resource: string, name: string, group = '', why?: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${
      why ?? 'the object has been modified; please apply your changes to the latest version and try again'
    }`,
    { name, group, kind: resource },
  );

/** `Pod "Bad" is invalid: metadata.name: Invalid value: "Bad": …`, each cause listed in `details.causes`. */
export function invalid(kind: string, name: string, causes: Cause[], group = ''): ApiError {
  return new ApiError(422, 'Invalid', invalidMessage(group ? `${kind}.${group}` : kind, name, causes), {
    name,
    group,
    kind,
    causes: causes.map(({ reason, message, field }) => ({ reason, message, field })),
  });
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);
export const forbidden = (message: string) => new ApiError(403, 'Forbidden', message);
export const gone = (message: string) => new ApiError(410, 'Expired', message);
export const tooManyRequests = (message: string, causes?: StatusDetails['causes']) =>
  new ApiError(429, 'TooManyRequests', message, causes ? { causes } : undefined);
export const methodNotAllowed = (message: string) => new ApiError(405, 'MethodNotAllowed', message);
export const unsupportedMediaType = (type: string) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`,
  );
