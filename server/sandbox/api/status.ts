// Kubernetes Status bodies for failures the HTTP layer itself detects (routing, bodies, content types).
import type { StatusDetails } from '../types.ts';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** A failure to answer with a Status, raised inside the HTTP layer. */
export class HttpStatusError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

export const fail = (code: number, reason: string, message: string, details?: StatusDetails): never => {
  throw new HttpStatusError(statusBody(code, reason, message, details));
};

export const notFoundPath = () => fail(404, 'NotFound', 'the server could not find the requested resource');
export const badRequest = (message: string) => fail(400, 'BadRequest', message);
