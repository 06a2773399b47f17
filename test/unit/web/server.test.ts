import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generate } from 'selfsigned';
import { fetchTrusting } from '../../support/https-fetch.ts';
import type { WebFeature } from '../../../server/web/feature.ts';
import { startWebServer, type TrustProxy } from '../../../server/web/server.ts';

/** Answers GET /ip with the client address Express settled on. */
const clientAddress: WebFeature = {
  name: 'client-address',
  mount(app) {
    app.get('/ip', (req, res) => {
      res.json({ ip: req.ip });
    });
  },
};

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
      features: [clientAddress],
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

  test('X-Forwarded-For names the client only from a trusted proxy', async () => {
    const cases: [TrustProxy | undefined, string][] = [
      [undefined, '127.0.0.1'],
      [['loopback'], '10.1.2.3'],
      [1, '10.1.2.3'],
      [['10.0.0.1'], '127.0.0.1'],
    ];
    for (const [trustProxy, expected] of cases) {
      const web = await startWebServer({
        host: '127.0.0.1',
        port: 0,
        staticDir: staticDir(),
        features: [clientAddress],
        ...(trustProxy === undefined ? {} : { trustProxy }),
      });
      try {
        const response = await fetch(`${web.url}/ip`, { headers: { 'x-forwarded-for': '10.1.2.3' } });
        assert.equal(((await response.json()) as { ip: string }).ip, expected, String(trustProxy));
      } finally {
        await web.close();
      }
    }
  });
});
