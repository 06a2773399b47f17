// An admission plugin's refusal, as the apiserver words it: `pods "web" is forbidden: <why>`.
import { ApiError } from '../errors.ts';
import type { ResourceInfo } from '../types.ts';

export function admissionForbidden(info: ResourceInfo, name: string, why: string): ApiError {
  const resource = info.group ? `${info.resource}.${info.group}` : info.resource;
  return new ApiError(403, 'Forbidden', `${resource} ${JSON.stringify(name)} is forbidden: ${why}`, {
    name,
    ...(info.group ? { group: info.group } : {}),
    kind: info.resource,
  });
}
