// The cluster's root CA certificate, published in every namespace as ConfigMap `kube-root-ca.crt` the way
// kube-controller-manager does. A real self-signed X.509 (EC P-256, CN=kubernetes, 10 years, as kubeadm's CA),
// encoded here in DER because Node can parse certificates but not create them.
import { generateKeyPairSync, sign } from 'node:crypto';

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, content: number[] | Buffer): number[] {
  const bytes = [...content];
  return [tag, ...length(bytes.length), ...bytes];
}

const sequence = (...parts: number[][]) => tlv(0x30, parts.flat());
const oid = (encoded: number[]) => tlv(0x06, encoded);
const utcTime = (date: Date) =>
  tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));

// 1.2.840.10045.4.3.2 ecdsa-with-SHA256; 2.5.4.3 commonName; 2.5.29.19 basicConstraints; 2.5.29.15 keyUsage
const ECDSA_SHA256 = sequence(oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]));
const name = (cn: string) =>
  sequence(tlv(0x31, sequence(oid([0x55, 0x04, 0x03]), tlv(0x0c, Buffer.from(cn)))));

/** A PEM certificate for a new CA valid from `now` for ten years. */
export function createRootCertificate(now: Date, serial: Buffer): string {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const extensions = tlv(
    0xa3,
    sequence(
      sequence(oid([0x55, 0x1d, 0x13]), tlv(0x01, [0xff]), tlv(0x04, sequence(tlv(0x01, [0xff])))),
      sequence(oid([0x55, 0x1d, 0x0f]), tlv(0x01, [0xff]), tlv(0x04, tlv(0x03, [0x02, 0xa4]))),
    ),
  );
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, [0x02])),
    tlv(0x02, [0x00, ...serial.subarray(0, 15)]),
    ECDSA_SHA256,
    name('kubernetes'),
    sequence(utcTime(now), utcTime(notAfter)),
    name('kubernetes'),
    [...spki],
    extensions,
  );
  const signature = sign('sha256', Buffer.from(tbs), { key: privateKey, dsaEncoding: 'der' });
  const der = Buffer.from(sequence(tbs, ECDSA_SHA256, tlv(0x03, [0x00, ...signature])));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
