import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generate } from 'selfsigned';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { startWebServer } from '../../../server/web/server.ts';

const staticDir = () => mkdtempSync(join(tmpdir(), 'kubewars-web-'));

describe('the web server', () => {
  test('with a key and certificate it serves HTTPS, and says so in its URL', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const web = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      staticDir: staticDir(),
      features: [],
      tls: { key: pems.private, cert: pems.cert },
    });
    try {
      assert.match(web.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetchTrusting(pems.cert)(`${web.url}/healthz`);
      assert.equal(response.status, 200);
      await assert.rejects(fetch(`${web.url.replace('https', 'http')}/healthz`));
    } finally {
      await web.close();
    }
  });
});
