// fetch() for a server whose certificate only its own CA vouches for (the sandbox): Node's global fetch takes no
// CA, so this sends the request with node:https and hands back a standard Response.
import { request } from 'node:https';

export function fetchTrusting(ca: string) {
  return (url: string, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, ca },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const item of [value ?? []].flat()) headers.append(name, item);
            }
            const status = res.statusCode ?? 0;
            const body = [204, 304].includes(status) ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers }));
          });
        },
      );
      req.on('error', reject);
      if (typeof init.body === 'string') req.write(init.body);
      req.end();
    });
}
