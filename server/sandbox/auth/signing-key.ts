// The key the sandbox signs ServiceAccount tokens with (ES256), kept in a file beside the kubeconfig so that tokens
// handed out before a restart stay valid, as a cluster's sa.key does.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JwtSigner {
  sign(payload: Record<string, unknown>): string;
  /** The payload when the signature is this key's and the header names ES256; otherwise undefined. */
  verify(token: string): Record<string, unknown> | undefined;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decodeJson(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function jwtSigner(privateKey: KeyObject): JwtSigner {
  const publicKey = createPublicKey(privateKey);
  // As kube-apiserver derives its key id: a hash of the public key, so verifiers can tell keys apart.
  const kid = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
  return {
    sign(payload) {
      const signed = `${base64url({ alg: 'ES256', kid })}.${base64url(payload)}`;
      const signature = sign('sha256', Buffer.from(signed), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${signed}.${signature.toString('base64url')}`;
    },
    verify(token) {
      const [header, payload, signature, ...rest] = token.split('.');
      if (rest.length || !signature || decodeJson(header)?.alg !== 'ES256') return undefined;
      const valid = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
      return valid ? decodeJson(payload) : undefined;
    },
  };
}

/** The P-256 key stored at `path` (PEM, owner-only), made on first use; without a path, a key for this run only. */
export function loadSigningKey(path?: string): KeyObject {
  if (path && existsSync(path)) return createPrivateKey(readFileSync(path, 'utf8'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (path) {
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    renameSync(partial, path);
  }
  return privateKey;
}
