// Served versions that are views of another stored version. A resource is stored in its preferred (first listed)
// version; each other version it is served in names a converter here, and the HTTP layer converts every body
// in and out, as the apiserver converts between a request's version and its storage version.
import type { KubeObject } from '../types.ts';
import { hpaFromV1, hpaToV1 } from './hpa-v1.ts';

export { ConversionError } from './hpa-v1.ts';

export interface VersionConverter {
  /** The stored object as this version shows it. */
  toServed(stored: KubeObject): KubeObject;
  /** An object written in this version, as it is stored. */
  toStored(served: KubeObject): KubeObject;
}

const converters: Record<string, VersionConverter> = {
  'autoscaling/v1/horizontalpodautoscalers': { toServed: hpaToV1, toStored: hpaFromV1 },
};

/** The converter of a served version; undefined for the storage version itself. */
export function converterFor(info: {
  group: string;
  version: string;
  resource: string;
}): VersionConverter | undefined {
  return converters[`${info.group}/${info.version}/${info.resource}`];
}
