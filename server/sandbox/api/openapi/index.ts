// The OpenAPI documents for the sandbox's resources, built and encoded once when the API handler is made (the
// resource table is fixed while the server runs): /openapi/v2 as protobuf or JSON, /openapi/v3 and its documents.
import type { ResourceInfo } from '../../types.ts';
import { buildOpenApiV2 } from './document.ts';
import { encodeOpenApiV2 } from './encode.ts';
import { buildOpenApiV3, contentHash } from './v3.ts';

/**
 * The media type the protobuf body is labelled with: the Accept value kubectl sends, with '.' for its '@', because
 * Go's MIME parser rejects the '@' ("mime: unexpected content after media subtype", measured with kubectl).
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export interface OpenApiDocuments {
  v2Protobuf: Buffer;
  v2Json: Buffer;
  /** GET /openapi/v3: each group-version's URL, with its content hash. */
  v3Index: Buffer;
  /** By path under /openapi/v3/, e.g. `apis/apps/v1`. */
  v3: ReadonlyMap<string, Buffer>;
}

/** Documents already built, by resource table and version: every sandbox of a process shares them. */
const built = new WeakMap<readonly ResourceInfo[], Map<string, OpenApiDocuments>>();

export function openApiDocuments(
  resources: readonly ResourceInfo[],
  kubernetesVersion: string,
): OpenApiDocuments {
  let byVersion = built.get(resources);
  if (!byVersion) {
    byVersion = new Map();
    built.set(resources, byVersion);
  }
  let documents = byVersion.get(kubernetesVersion);
  if (!documents) {
    documents = buildDocuments(resources, kubernetesVersion);
    byVersion.set(kubernetesVersion, documents);
  }
  return documents;
}

function buildDocuments(resources: readonly ResourceInfo[], kubernetesVersion: string): OpenApiDocuments {
  const v2 = buildOpenApiV2(resources, kubernetesVersion);
  const v3 = new Map(
    [...buildOpenApiV3(v2)].map(([path, document]) => [path, Buffer.from(JSON.stringify(document))]),
  );
  const index = {
    paths: Object.fromEntries(
      [...v3].map(([path, body]) => [
        path,
        { serverRelativeURL: `/openapi/v3/${path}?hash=${contentHash(body)}` },
      ]),
    ),
  };
  return {
    v2Protobuf: encodeOpenApiV2(v2),
    v2Json: Buffer.from(JSON.stringify(v2)),
    v3Index: Buffer.from(JSON.stringify(index)),
    v3,
  };
}
