import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  WATCH_TIMEOUT_SECONDS,
  watchPath,
  watchPods,
} from '../../../../server/game/watch/pod-watch.ts';
import { FakeInformer } from '../fake-informer.ts';
import { pod } from '../pods.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

function setup(idleTimeoutMs?: number) {
  const clock = new FakeClock();
  const informer = new FakeInformer();
  const seen: string[] = [];
  let reconnects = 0;
  const watch = watchPods({
    informers: [informer],
    clock,
    initialBackoffMs: 100,
    maxBackoffMs: 400,
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    handlers: {
      upsert: (p: V1Pod) => seen.push(`upsert ${p.metadata?.uid}`),
      delete: (p: V1Pod) => seen.push(`delete ${p.metadata?.uid}`),
      connection: (connected, since) => seen.push(`connected=${connected} since=${since}`),
      reconnect: () => reconnects++,
    },
  });
  return { clock, informer, seen, watch, reconnects: () => reconnects };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('pod watch', () => {
  it('reports connected once listed and passes pod events through', async () => {
    const { informer, seen, watch } = setup();
    await watch.started;
    informer.emit('add', pod({ uid: 'a' }));
    informer.emit('delete', pod({ uid: 'a' }));
    assert.deepEqual(seen, ['connected=true since=null', 'upsert a', 'delete a']);
    assert.equal(watch.connected, true);
  });

  it('after an error restarts the stopped informer with growing back-off and reports when it is back', async () => {
    const { clock, informer, seen, watch, reconnects } = setup();
    await watch.started;
    const lostAt = clock.now();
    informer.failNextStart = true;
    informer.emit('error', new Error('watch closed'));
    assert.equal(watch.connected, false);
    assert.equal(watch.reconnectingSince, lostAt);
    clock.advance(99);
    assert.equal(informer.starts, 1);
    clock.advance(1);
    await settle();
    assert.equal(informer.starts, 2, 'first retry after 100 ms');
    // That retry failed too: the next one waits twice as long.
    clock.advance(199);
    assert.equal(informer.starts, 2);
    clock.advance(1);
    await settle();
    assert.equal(informer.starts, 3);
    assert.equal(reconnects(), 2);
    assert.equal(watch.connected, true);
    assert.deepEqual(seen, [
      'connected=true since=null',
      `connected=false since=${lostAt}`,
      'connected=true since=null',
    ]);
  });

  it('stop cancels a pending restart', async () => {
    const { clock, informer, watch } = setup();
    await watch.started;
    informer.emit('error', new Error('gone'));
    await watch.stop();
    clock.advance(10_000);
    assert.equal(informer.starts, 1);
    assert.equal(clock.pending, 0);
  });

  it('restarts an informer that reports connected but stays silent longer than any watch cycle lasts', async () => {
    const { clock, informer, seen, watch, reconnects } = setup(60_000);
    await watch.started;
    // New watch cycles (each one starts with `connect`) and pod events are signs of life.
    for (let i = 0; i < 10; i++) {
      clock.advance(50_000);
      informer.emit(i % 2 ? 'connect' : 'add', pod({ uid: `p${i}` }));
    }
    assert.equal(informer.stops, 0);
    assert.equal(watch.connected, true);

    // Then nothing: the connection hangs without an error.
    const silentFrom = clock.now();
    clock.advance(60_000);
    assert.equal(informer.stops, 0, 'not before the idle timeout');
    clock.advance(15_000);
    assert.equal(informer.stops, 1, 'stopped within a quarter of the idle timeout after it');
    assert.equal(watch.connected, false);
    const lostAt = watch.reconnectingSince ?? 0;
    assert.ok(lostAt > silentFrom + 60_000 && lostAt <= silentFrom + 75_000);
    // The aborted request's error is the watchdog's own doing: no second restart.
    informer.emit('error', Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }));
    clock.advance(100);
    await settle();
    assert.equal(informer.starts, 2);
    assert.equal(reconnects(), 1);
    assert.equal(watch.connected, true);
    clock.advance(1000);
    await settle();
    assert.equal(informer.starts, 2);
    assert.deepEqual(
      seen.filter((line) => line.startsWith('connected')),
      ['connected=true since=null', `connected=false since=${lostAt}`, 'connected=true since=null'],
    );
    await watch.stop();
    assert.equal(clock.pending, 0, 'stop cancels the watchdog');
  });

  it('by default the watchdog waits out the longest server-side watch timeout plus a margin', () => {
    assert.ok(DEFAULT_IDLE_TIMEOUT_MS > WATCH_TIMEOUT_SECONDS * 1.2 * 1000);
    assert.equal(
      watchPath('/api/v1/pods', () => 0),
      '/api/v1/pods?timeoutSeconds=300',
    );
    assert.equal(
      watchPath('/api/v1/namespaces/a/pods', () => 0.999),
      '/api/v1/namespaces/a/pods?timeoutSeconds=359',
    );
    const url = new URL(`https://127.0.0.1:6443${watchPath('/api/v1/pods', () => 0.5)}`);
    url.searchParams.set('watch', 'true');
    assert.equal(
      url.searchParams.get('timeoutSeconds'),
      '330',
      'the timeout survives the Watch adding its own',
    );
  });
});
