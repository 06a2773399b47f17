// The sandbox serves HTTPS: kubectl (client-go) sends bearer tokens only over TLS, so over plain HTTP every
// request would be anonymous. A certificate authority is made once and kept in the TLS folder for good; it signs
// the serving certificate, which is re-made whenever the machine's addresses change or it nears expiry. The
// kubeconfigs carry the CA only, so every kubeconfig already handed out stays valid across restarts and re-issues.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface SandboxTls {
  /** The serving certificate's key and certificate (PEM). */
  key: string;
  cert: string;
  /** The CA that signed it, which kubeconfigs trust (PEM). */
  ca: string;
}

const dayMs = 24 * 60 * 60 * 1000;
/** A serving certificate this close to its end is re-made, well before any client sees it expire. */
const renewBeforeMs = 30 * dayMs;

/** Every address this machine answers on, so attendees on the room's network can reach a shared sandbox. */
function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address.replace(/%.*$/, ''));
}

const isIp = (name: string) => /^[\d.]+$|:/.test(name);

/** The names a serving certificate must cover: localhost, loopback, every local interface and the given extras. */
export function servingNames(extra: string[] = []): string[] {
  const wildcard = (name: string) => name === '0.0.0.0' || name === '::' || name === '';
  return [
    ...new Set(['localhost', '127.0.0.1', '::1', ...localAddresses(), ...extra.filter((n) => !wildcard(n))]),
  ];
}

function covers(cert: string, names: string[], now: number, validFor: number): boolean {
  try {
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - now < validFor) return false;
    return names.every((name) =>
      isIp(name) ? x509.checkIP(name) !== undefined : x509.checkHost(name) !== undefined,
    );
  } catch {
    return false;
  }
}

const isAuthority = (cert: string) => {
  try {
    return new X509Certificate(cert).ca;
  } catch {
    return false;
  }
};

const readIfPresent = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/**
 * The CA kept in `dir` (ca.crt, ca.key), made on first use. A sandbox from before the CA existed served a
 * self-signed authority certificate (sandbox-tls.crt): it becomes the CA, so the kubeconfigs that trust it keep
 * working.
 */
async function authority(dir: string): Promise<{ key: string; cert: string }> {
  const keyPath = join(dir, 'ca.key');
  const certPath = join(dir, 'ca.crt');
  const key = readIfPresent(keyPath);
  const cert = readIfPresent(certPath);
  if (key && cert) return { key, cert };
  const legacyKey = readIfPresent(join(dir, 'sandbox-tls.key'));
  const legacyCert = readIfPresent(join(dir, 'sandbox-tls.crt'));
  const made =
    legacyKey && legacyCert && isAuthority(legacyCert)
      ? { key: legacyKey, cert: legacyCert }
      : await newAuthority();
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  writeFileSync(certPath, made.cert);
  return made;
}

async function newAuthority(): Promise<{ key: string; cert: string }> {
  const notBefore = new Date(Date.now() - dayMs);
  const pems = await generate([{ name: 'commonName', value: 'kubewars-sandbox-ca' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    // Kubeconfigs handed out trust it for as long as anyone keeps them.
    notAfterDate: new Date(notBefore.getTime() + 30 * 365 * dayMs),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * The CA and a serving certificate for `names` (see servingNames), both kept in `dir`; the serving certificate
 * is reused while it covers every name, comes from this CA and is far from expiry.
 */
export async function sandboxTls(dir: string, names: string[]): Promise<SandboxTls> {
  const ca = await authority(dir);
  const keyPath = join(dir, 'serving.key');
  const certPath = join(dir, 'serving.crt');
  const key = readIfPresent(keyPath);
  const cert = readIfPresent(certPath);
  if (
    key &&
    cert &&
    signedBy(cert, ca.cert) &&
    namedApart(cert, ca.cert) &&
    covers(cert, names, Date.now(), renewBeforeMs)
  ) {
    return { key, cert, ca: ca.cert };
  }
  const notBefore = new Date(Date.now() - dayMs);
  // Not the CA's name: a sandbox from before the CA made its self-signed 'kubewars-sandbox' the CA, and a
  // certificate whose subject is its issuer's looks self-signed to OpenSSL (Node's clients refuse it).
  const pems = await generate([{ name: 'commonName', value: 'kubewars-sandbox-server' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + 365 * dayMs),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) =>
          isIp(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
        ),
      },
    ],
  });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert, ca: ca.cert };
}

/** A serving certificate named as its CA (made before the names were kept apart) is made again. */
function namedApart(cert: string, caCert: string): boolean {
  return new X509Certificate(cert).subject !== new X509Certificate(caCert).subject;
}

function signedBy(cert: string, caCert: string): boolean {
  try {
    return new X509Certificate(cert).verify(new X509Certificate(caCert).publicKey);
  } catch {
    return false;
  }
}
