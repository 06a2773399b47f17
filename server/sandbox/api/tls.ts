// The sandbox serves HTTPS: kubectl (client-go) sends bearer tokens only over TLS, so over plain HTTP every
// request would be anonymous. A self-signed certificate is made once and kept beside the kubeconfig, so the
// kubeconfigs attendees already copied stay valid when the sandbox restarts.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';

export interface SandboxTls {
  key: string;
  cert: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Every address this machine answers on, so attendees on the room's network can reach a shared sandbox. */
function localAddresses(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address.replace(/%.*$/, ''));
  return [...new Set(['127.0.0.1', '::1', ...addresses])];
}

function stillUsable(cert: string, hosts: string[], now: number): boolean {
  try {
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - now < dayMs) return false;
    return hosts.every((host) =>
      /^[\d.]+$|:/.test(host) ? x509.checkIP(host) !== undefined : x509.checkHost(host) !== undefined,
    );
  } catch {
    return false;
  }
}

/** The sandbox's key and certificate for `host`, reused from beside `kubeconfigPath` when still valid. */
export async function sandboxTls(kubeconfigPath: string, host: string): Promise<SandboxTls> {
  const keyPath = join(dirname(kubeconfigPath), 'sandbox-tls.key');
  const certPath = join(dirname(kubeconfigPath), 'sandbox-tls.crt');
  const wildcard = host === '0.0.0.0' || host === '::';
  const hosts = wildcard ? ['127.0.0.1'] : [host];
  if (existsSync(keyPath) && existsSync(certPath)) {
    const cert = readFileSync(certPath, 'utf8');
    if (stillUsable(cert, hosts, Date.now())) return { key: readFileSync(keyPath, 'utf8'), cert };
  }
  const ips = new Set(localAddresses());
  const names = new Set(['localhost']);
  for (const name of hosts) (/^[\d.]+$|:/.test(name) ? ips : names).add(name);
  const notBefore = new Date(Date.now() - dayMs);
  const pems = await generate([{ name: 'commonName', value: 'kubewars-sandbox' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + 3650 * dayMs),
    extensions: [
      // Its own authority: the kubeconfig trusts exactly this certificate.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...[...names].map((value) => ({ type: 2 as const, value })),
          ...[...ips].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  mkdirSync(dirname(kubeconfigPath), { recursive: true });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert };
}
