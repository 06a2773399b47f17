import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { maxBodyBytes, readBody } from '../../../../server/sandbox/api/body.ts';
import type { HttpStatusError } from '../../../../server/sandbox/api/status.ts';

/** A request body as the HTTP server hands it over: a stream with headers, `complete` once it has ended. */
function request(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  const req = new PassThrough() as PassThrough & IncomingMessage & { complete: boolean };
  req.headers = headers;
  req.complete = false;
  req.on('end', () => (req.complete = true));
  return req;
}

/** The 413 Status a real apiserver answers a body over its limit with. */
const tooLarge = (error: HttpStatusError) =>
  error.body.code === 413 && error.body.reason === 'RequestEntityTooLarge';

describe('readBody', () => {
  it('joins the chunks of a body, whatever their number', async () => {
    const req = request();
    const body = readBody(req);
    req.write('{"kind":');
    req.write('"Pod"}');
    req.end();
    assert.equal((await body).toString(), '{"kind":"Pod"}');
  });

  it('refuses a body declared over the limit before reading it, and drains it', async () => {
    const req = request({ 'content-length': String(maxBodyBytes + 1) });
    await assert.rejects(readBody(req), tooLarge);
    assert.equal(req.readableFlowing, true);
  });

  it('refuses a chunked body once it grows over the limit, and reads the rest without keeping it', async () => {
    const req = request();
    const body = readBody(req);
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 4; i++) req.write(chunk);
    req.end();
    await assert.rejects(body, tooLarge);
    await new Promise((resolve) => req.once('end', resolve));
  });

  it('fails when the client goes before the body ends', async () => {
    const req = request();
    const body = readBody(req);
    req.write('{"kind":');
    req.destroy();
    await assert.rejects(body, /closed the connection before the body ended/);
  });
});
