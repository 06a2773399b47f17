// GET /openapi/v2: the protobuf OpenAPI v2 document for the sandbox's resources.
import type { ResourceInfo } from '../../types.ts';
import { buildOpenApiV2 } from './document.ts';
import { encodeOpenApiV2 } from './encode.ts';

/**
 * The media type the body is labelled with: the Accept value kubectl sends, with '.' for its '@', because Go's MIME
 * parser rejects the '@' ("mime: unexpected content after media subtype", measured with kubectl).
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export const openApiV2Protobuf = (resources: readonly ResourceInfo[], kubernetesVersion: string): Buffer =>
  encodeOpenApiV2(buildOpenApiV2(resources, kubernetesVersion));
