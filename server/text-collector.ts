// A writable stream that keeps what is written to it, read back as text: for the output of a pods/exec.
import { Writable } from 'node:stream';

/** Collects what a stream writes, as text. */
export function textCollector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}
