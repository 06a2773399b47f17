// Request bodies: size limit, JSON, YAML or Kubernetes protobuf, and the errors a real apiserver gives for bad ones.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { UnsupportedKindError, decodeKubernetesProtobuf } from './protobuf/decode.ts';
import { MalformedProtobufError } from './protobuf/wire.ts';
import { badRequest, fail, HttpStatusError, statusBody } from './status.ts';

const protobufMediaType = 'application/vnd.kubernetes.protobuf';

const unsupportedMediaType = (accepted: string): never =>
  fail(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
  );

const mediaTypeOf = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Objects arrive as JSON, YAML or (typed clients such as kubectl create) protobuf; CBOR and others get 415. */
function requireKnownMediaType(mediaType: string): void {
  if (mediaType === '' || /^application\/(json|yaml|x-yaml)$/.test(mediaType) || mediaType === 'text/yaml')
    return;
  unsupportedMediaType(`application/json, application/yaml, ${protobufMediaType}`);
}

function decodeProtobufBody(raw: Buffer): Record<string, unknown> {
  try {
    return decodeKubernetesProtobuf(raw);
  } catch (error) {
    // A kind without a schema here is treated like a custom resource, which apiservers take only as text.
    if (error instanceof UnsupportedKindError)
      return unsupportedMediaType('application/json, application/yaml');
    if (error instanceof MalformedProtobufError) {
      return badRequest(`the object provided is unrecognized (protobuf parse error: ${error.message})`);
    }
    throw error;
  }
}

export const maxBodyBytes = 3 * 1024 * 1024;

const tooLarge = () =>
  new HttpStatusError(
    statusBody(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`),
  );

/**
 * The whole body. A body over the limit is refused and the rest of it read and dropped, so the 413 reaches the client:
 * leaving a `for await` loop early destroys the request, and with it the connection the answer was to go out on.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > maxBodyBytes) return;
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      chunks.length = 0;
      reject(tooLarge());
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    // A client gone before the end: nothing to answer, nothing to store.
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}

/** Go's JSON decoder refuses documents nested deeper than this; every later step may then recurse safely. */
export const maxNestingDepth = 10_000;

/** The bracket that first goes deeper than Go's limit, outside strings; undefined when the text stays within. */
function tooDeep(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      depth++;
      if (depth > maxNestingDepth) return char;
    } else if (char === '}' || char === ']') depth--;
  }
  return undefined;
}

export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') badRequest('the body of the request was empty');
  const yaml = /yaml/.test(contentType ?? '');
  const deep = tooDeep(text);
  if (deep) {
    badRequest(
      `the object provided is unrecognized (${yaml ? 'yaml' : 'json'} parse error: invalid character '${deep}' exceeded max depth)`,
    );
  }
  try {
    // Repeated keys are the field validation's to judge (refused, warned about or, last one winning, ignored).
    return yaml ? parseYaml(text, { uniqueKeys: false }) : JSON.parse(text);
  } catch (error) {
    return badRequest(
      `the object provided is unrecognized (${yaml ? 'yaml' : 'json'} parse error: ${(error as Error).message.split('\n')[0]})`,
    );
  }
}

/** A JSON object body (create, update): anything else is refused as a real apiserver does. */
export function parseObjectBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === protobufMediaType) return decodeProtobufBody(raw);
  requireKnownMediaType(mediaType);
  const body = parseBody(raw, contentType);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  }
  return body as Record<string, unknown>;
}
