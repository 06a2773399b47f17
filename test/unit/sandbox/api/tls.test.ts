import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generate } from 'selfsigned';
import { sandboxTls, servingNames } from '../../../../server/sandbox/api/tls.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-tls-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const signedBy = (cert: string, ca: string) =>
  new X509Certificate(cert).verify(new X509Certificate(ca).publicKey);

test('the serving certificate comes from a CA kept in the folder, and covers loopback and the names given', async () => {
  const dir = freshDir();
  const tls = await sandboxTls(dir, servingNames(['10.1.2.3', 'room.example']));
  assert.ok(new X509Certificate(tls.ca).ca);
  assert.ok(!new X509Certificate(tls.cert).ca);
  assert.ok(signedBy(tls.cert, tls.ca));
  const serving = new X509Certificate(tls.cert);
  for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) assert.equal(serving.checkIP(ip), ip);
  for (const host of ['localhost', 'room.example']) assert.equal(serving.checkHost(host), host);
  assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), tls.ca);
});

test('the same names reuse both certificates; a new name re-makes the serving one from the same CA', async () => {
  const dir = freshDir();
  const first = await sandboxTls(dir, ['localhost', '127.0.0.1']);
  const again = await sandboxTls(dir, ['localhost', '127.0.0.1']);
  assert.deepEqual(again, first);
  const moved = await sandboxTls(dir, ['localhost', '127.0.0.1', '192.168.7.9']);
  assert.equal(moved.ca, first.ca);
  assert.notEqual(moved.cert, first.cert);
  assert.ok(signedBy(moved.cert, first.ca));
  assert.equal(new X509Certificate(moved.cert).checkIP('192.168.7.9'), '192.168.7.9');
});

test('wildcard listen addresses are not names a certificate can cover', () => {
  const names = servingNames(['0.0.0.0', '::', 'room.example']);
  assert.ok(!names.includes('0.0.0.0') && !names.includes('::'));
  assert.ok(names.includes('room.example') && names.includes('127.0.0.1') && names.includes('localhost'));
});

test('the self-signed certificate of an earlier sandbox becomes the CA, so kubeconfigs that trust it keep working', async () => {
  const dir = freshDir();
  const legacy = await generate([{ name: 'commonName', value: 'kubewars-sandbox' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  writeFileSync(join(dir, 'sandbox-tls.key'), legacy.private);
  writeFileSync(join(dir, 'sandbox-tls.crt'), legacy.cert);
  const tls = await sandboxTls(dir, ['127.0.0.1']);
  assert.equal(tls.ca, legacy.cert);
  assert.ok(signedBy(tls.cert, legacy.cert));
});
