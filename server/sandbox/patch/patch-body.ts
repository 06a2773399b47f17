// What a patch body must be before any patch is applied: the apiserver refuses, with 400, an object patch (merge,
// strategic merge, apply) that is not an object at all, instead of patching the document into nothing.
import type { PatchType } from '../types.ts';
import { isObject } from './merge-patch.ts';

/** The apiserver's message for a body its patch type cannot use; undefined when the body is usable. */
export function malformedPatchBody(type: PatchType, patch: unknown): string | undefined {
  if (type === 'json') return undefined; // a JSON patch that is not a list is the JSON patch's own 422
  // evanphx/json-patch refuses a `null` merge patch with ErrBadJSONPatch, which the apiserver answers with 400.
  if (patch === null && type !== 'apply') return 'Invalid JSON Patch';
  if (type === 'apply' && !isObject(patch)) {
    return 'error decoding YAML: the body of an apply patch must be an object such as {"apiVersion": …, "kind": …}';
  }
  return undefined;
}
