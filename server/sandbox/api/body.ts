// Request bodies: size limit, JSON or YAML, and the errors a real apiserver gives for bad ones.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, fail } from './status.ts';

/** Objects arrive as JSON or YAML; protobuf and CBOR (which newer clients try first) are refused with 415. */
function requireTextMediaType(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === '' || /^application\/(json|yaml|x-yaml)$/.test(mediaType) || mediaType === 'text/yaml')
    return;
  fail(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  );
}

export const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    req.resume();
    fail(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) {
      req.resume();
      fail(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') badRequest('the body of the request was empty');
  const yaml = /yaml/.test(contentType ?? '');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    return badRequest(
      `the object provided is unrecognized (${yaml ? 'yaml' : 'json'} parse error: ${(error as Error).message.split('\n')[0]})`,
    );
  }
}

/** A JSON object body (create, update): anything else is refused as a real apiserver does. */
export function parseObjectBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  requireTextMediaType(contentType);
  const body = parseBody(raw, contentType);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  }
  return body as Record<string, unknown>;
}
