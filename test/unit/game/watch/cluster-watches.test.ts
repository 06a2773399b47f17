import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterWatches } from '../../../../server/game/watch/cluster-watches.ts';
import { kubeConfigOf } from '../fake-cluster.ts';
import { FakeInformer } from '../fake-informer.ts';
import { pod } from '../pods.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

/** An informer whose first list takes until the test releases it. */
class SlowInformer extends FakeInformer {
  release: () => void = () => {};
  override async start(): Promise<void> {
    await super.start();
    if (this.starts === 1) await new Promise<void>((resolve) => (this.release = resolve));
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(informers: Record<string, FakeInformer>, idleTimeoutMs?: number) {
  const clock = new FakeClock();
  const seen: string[] = [];
  let reconnects = 0;
  const watches = new ClusterWatches({
    clock,
    informers: (kc) => [informers[kc.getCurrentCluster()?.name ?? ''] ?? new FakeInformer()],
    upsert: (p, origin) => seen.push(`upsert ${origin.cluster}:${origin.fleet ?? '-'} ${p.metadata?.uid}`),
    delete: (p, origin) => seen.push(`delete ${origin.cluster}:${origin.fleet ?? '-'} ${p.metadata?.uid}`),
    connection: (connected, since) => seen.push(`connected=${connected} since=${since}`),
    reconnect: () => reconnects++,
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
  });
  return { clock, seen, watches, reconnects: () => reconnects };
}

describe('cluster watches', () => {
  it("tag each cluster's pod events with its origin and stop delivering them once the cluster is removed", async () => {
    const main = new FakeInformer();
    const finn = new FakeInformer();
    const { seen, watches } = setup({ main, finn });
    await watches.add({ cluster: 'main' }, kubeConfigOf('main'));
    await watches.add({ cluster: 'finn', fleet: 'finn' }, kubeConfigOf('finn'));
    assert.equal(watches.size, 2);
    main.emit('add', pod({ uid: 'a' }));
    finn.emit('add', pod({ uid: 'a' }));
    finn.emit('delete', pod({ uid: 'a' }));
    await watches.remove('finn');
    finn.emit('add', pod({ uid: 'b' }));
    assert.equal(finn.stops, 1);
    assert.equal(watches.has('finn'), false);
    assert.deepEqual(seen, [
      'connected=true since=null',
      'upsert main:- a',
      'upsert finn:finn a',
      'delete finn:finn a',
    ]);
  });

  it("keep each cluster's pods as last delivered, for shots to aim at, and forget them on deletion or removal", async () => {
    const main = new FakeInformer();
    const finn = new FakeInformer();
    const { watches } = setup({ main, finn });
    await watches.add({ cluster: 'main' }, kubeConfigOf('main'));
    await watches.add({ cluster: 'finn', fleet: 'finn' }, kubeConfigOf('finn'));
    const first = pod({ uid: 'a', name: 'first' });
    const changed = pod({ uid: 'a', name: 'first', ready: false });
    main.emit('add', first);
    finn.emit('add', pod({ uid: 'a', name: 'namesake' }));
    finn.emit('add', pod({ uid: 'b' }));
    assert.equal(watches.pod('main', 'a'), first);
    main.emit('update', changed);
    assert.equal(watches.pod('main', 'a'), changed);
    assert.equal(watches.pod('finn', 'a')?.metadata?.name, 'namesake', 'clusters kept apart');
    main.emit('delete', changed);
    assert.equal(watches.pod('main', 'a'), undefined);
    await watches.remove('finn');
    assert.equal(watches.pod('finn', 'b'), undefined);
  });

  it('a cluster still listing does not hold the battle in "reconnecting"; one that lost its watch does until it is back or removed', async () => {
    const main = new FakeInformer();
    const finn = new SlowInformer();
    const rey = new FakeInformer();
    const { clock, seen, watches, reconnects } = setup({ main, finn, rey });
    await watches.add({ cluster: 'main' }, kubeConfigOf('main'));
    const adding = watches.add({ cluster: 'finn', fleet: 'finn' }, kubeConfigOf('finn'));
    await settle();
    assert.equal(watches.connected, true, 'finn is listing: no loss to report');
    finn.release();
    await adding;
    await watches.add({ cluster: 'rey', fleet: 'rey' }, kubeConfigOf('rey'));

    const lostAt = clock.now();
    rey.emit('error', new Error('watch closed'));
    clock.advance(100);
    finn.failNextStart = true;
    finn.emit('error', new Error('watch closed'));
    assert.equal(watches.connected, false);
    assert.equal(watches.reconnectingSince, lostAt, 'since the oldest loss');
    clock.advance(500);
    await settle();
    assert.equal(reconnects(), 2);
    assert.equal(watches.connected, false, 'finn failed again; rey came back');
    assert.equal(watches.reconnectingSince, lostAt + 100);
    await watches.remove('finn');
    assert.equal(watches.connected, true);
    assert.deepEqual(seen, [
      'connected=true since=null',
      `connected=false since=${lostAt}`,
      `connected=false since=${lostAt + 100}`,
      'connected=true since=null',
    ]);
    await watches.stop();
    assert.equal(main.stops + rey.stops, 2);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('one timer in all, however many clusters idle, restarts the watch of a cluster that hangs silently', async () => {
    const informers = { main: new FakeInformer(), finn: new FakeInformer(), rey: new FakeInformer() };
    const { clock, watches } = setup(informers, 60_000);
    for (const [name, informer] of Object.entries(informers)) {
      await watches.add({ cluster: name, ...(name === 'main' ? {} : { fleet: name }) }, kubeConfigOf(name));
      assert.equal(informer.starts, 1);
    }
    assert.equal(clock.pending, 1, 'idle: the shared watchdog is the only timer');
    // main and rey show life (new watch cycles); finn's connection hangs without a word.
    for (let i = 0; i < 4; i++) {
      clock.advance(20_000);
      informers.main.emit('connect');
      informers.rey.emit('connect');
    }
    assert.deepEqual(
      Object.values(informers).map((i) => i.stops),
      [0, 1, 0],
    );
    assert.equal(watches.connected, false);
    clock.advance(500);
    await settle();
    assert.equal(informers.finn.starts, 2);
    assert.equal(watches.connected, true);
    await watches.stop();
    assert.equal(clock.pending, 0);
  });
});
