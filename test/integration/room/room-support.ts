// Helpers for the room's integration tests: a room started through the real CLI on a loopback address of its
// own, and attendees who join over HTTP and keep their kubeconfig in a file, as a browser download would.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { spawnKubewars, type RunningKubewars } from '../../support/kubewars.ts';

export const ROOM_ADDRESS = '127.0.0.2';
export const INSTRUCTOR_TOKEN = 'room-instructor-token-0123';

export interface RunningRoom extends RunningKubewars {
  /** The platform at the room's public address, http or https. */
  url: string;
}

/** A port free on the room's address now: a restarted room must answer where the kubeconfigs point. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, ROOM_ADDRESS, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `kubewars start --room` on 127.0.0.2, fast pods, a free web port and the given sandbox port (a free one by
 * default); resolves once the banner is printed.
 */
export async function startRoom(
  extraArgs: string[] = [],
  cwd?: string,
  sandboxPort = 0,
): Promise<RunningRoom> {
  const running = spawnKubewars(
    [
      'start',
      '--room',
      '--host',
      ROOM_ADDRESS,
      '--public-address',
      ROOM_ADDRESS,
      '--port',
      '0',
      '--sandbox-port',
      String(sandboxPort),
      '--speed',
      'fast',
      '--instructor-token',
      INSTRUCTOR_TOKEN,
      ...extraArgs,
    ],
    cwd ? { cwd } : {},
  );
  const [, url] = await running.waitFor(/Players:\s+(https?:\/\/\S+?)\/\s/, 120_000);
  await running.waitFor(/Press Ctrl-C to stop/);
  return { ...running, url: url as string };
}

export interface Attendee {
  name: string;
  key: string;
  kubeconfig: string;
  /** The downloaded kubeconfig's file. */
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export function attendeeFrom(body: { name: string; key: string; kubeconfig: string }): Attendee {
  const kubeconfigPath = join(
    mkdtempSync(join(tmpdir(), 'kubewars-attendee-')),
    `kubewars-${body.name}.kubeconfig`,
  );
  writeFileSync(kubeconfigPath, body.kubeconfig);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(body.kubeconfig);
  return { ...body, kubeconfigPath, kubeConfig };
}

/** POST /api/attendees, as the player page does. */
export function postJoin(url: string, name: string, key?: string, fetcher: Fetch = fetch): Promise<Response> {
  return fetcher(`${url}/api/attendees`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ name }),
  });
}

export async function joinRoom(url: string, name: string, fetcher: Fetch = fetch): Promise<Attendee> {
  const response = await postJoin(url, name, undefined, fetcher);
  const text = await response.text();
  assert.equal(response.status, 201, text);
  return attendeeFrom(JSON.parse(text) as { name: string; key: string; kubeconfig: string });
}

/** A call to the platform with a bearer token (an attendee key or the instructor token). */
export function call(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
