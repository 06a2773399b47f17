import assert from 'node:assert/strict';

type Falsy = false | 0 | '' | null | undefined;

/**
 * Polls `read` until `ok` accepts its value (without `ok`: until the value is truthy) and returns that value;
 * fails with the last value or error seen once `ms` have passed. A read that throws counts as "not yet": the
 * cluster converges through watches, so a probe may fail (a kubectl get of an object not made yet) before it holds.
 */
export async function until<T>(what: string, read: () => Promise<T | Falsy>, ms?: number): Promise<T>;
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms?: number,
): Promise<T>;
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  okOrMs?: ((value: T) => boolean) | number,
  ms = 20_000,
): Promise<T> {
  const ok = typeof okOrMs === 'function' ? okOrMs : Boolean;
  const deadline = Date.now() + (typeof okOrMs === 'number' ? okOrMs : ms);
  for (;;) {
    let last: string;
    try {
      const value = await read();
      if (ok(value)) return value;
      last = JSON.stringify(value) ?? String(value);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${last.slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
