// The JSON bytes of stored objects, encoded once per stored version and reused by every GET, LIST and watch event
// that sends it, as a real apiserver's watch cache keeps each object's serialized form. A stored object is never
// changed in place (every write stores a new object), so its bytes never go stale; they live as long as the object.
import type { KubeObject } from '../types.ts';

const encoded = new WeakMap<KubeObject, Buffer>();

/** The UTF-8 bytes of `JSON.stringify(object)` for a stored object, encoded on first use. */
export function encodedJson(object: KubeObject): Buffer {
  let bytes = encoded.get(object);
  if (bytes === undefined) {
    const text = JSON.stringify(object);
    // A buffer of its own, not a slice of Node's shared pool: a kept slice would keep its whole 8 KB slab alive.
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    bytes.write(text);
    encoded.set(object, bytes);
  }
  return bytes;
}
