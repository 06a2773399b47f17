import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveGameState } from '../../../../game/store/live-game-state.ts';
import type { Ship, ShotEvent } from '../../../../game/store/protocol-types.ts';
import { PilotSession, type PilotCue, type PilotServer } from '../../../../game/pilot/session.ts';
import { PilotWorld, TUNING, type PilotInput } from '../../../../game/pilot/world.ts';
import { ship } from '../../../support/game-fixtures.ts';
import { seededRandom } from '../../../../server/random.ts';
import { DEFAULT_CHAOS } from '../../../../server/game/chaos/choice.ts';

const fire: PilotInput = { turn: 0, thrust: false, fire: true };
const idle: PilotInput = { turn: 0, thrust: false, fire: false };
const calm = { ...TUNING, tieSpeed: 0, destroyerSpeed: 0, enemyFireRate: 0 };

let shotIds = 0;
function shotAt(s: Ship, outcome: ShotEvent['outcome'], over: Partial<ShotEvent> = {}): ShotEvent {
  return {
    id: ++shotIds,
    time: 0,
    round: 1,
    uid: s.uid,
    name: s.name,
    namespace: s.namespace,
    fleet: s.fleet,
    outcome,
    dryRun: false,
    source: 'manual',
    ...over,
  };
}

/** A server that records requests and answers each with what the test decides (pending until then). */
class FakeServer implements PilotServer {
  readonly fired: string[] = [];
  capitalRule = false;
  ruleQuestions = 0;
  answer: (uid: string) => Promise<ShotEvent> = () => new Promise(() => undefined);
  fire(uid: string): Promise<ShotEvent> {
    this.fired.push(uid);
    return this.answer(uid);
  }
  async capitalShipsEnabled(): Promise<boolean> {
    this.ruleQuestions += 1;
    return this.capitalRule;
  }
}

function setup(ships: Ship[]) {
  const store = new LiveGameState();
  store.applySnapshot({
    seq: 1,
    connected: true,
    reconnectingSince: null,
    round: null,
    ships,
    fleets: [],
    chaos: DEFAULT_CHAOS,
  });
  const server = new FakeServer();
  const world = new PilotWorld({ width: 1000, height: 600 }, seededRandom(5), calm);
  const session = new PilotSession(world, store, server, seededRandom(6));
  const cues: PilotCue[] = [];
  session.onCue((c) => cues.push(c));
  let seq = 1;
  const patch = (...ops: Parameters<LiveGameState['applyPatch']>[0]['ops']) => {
    seq += 1;
    assert.equal(store.applyPatch({ seq, ops }), 'applied');
  };
  return { store, server, world, session, cues, patch };
}

/** Puts an enemy right above the X-Wing so held fire hits it. */
function placeAbove(world: PilotWorld, id: string): void {
  Object.assign(world.enemies.get(id)!, { x: world.xwing.x, y: world.xwing.y - 120, vx: 0, vy: 0 });
}

function fly(session: PilotSession, input: PilotInput, ms: number): void {
  for (let t = 0; t < ms; t += 16) session.tick(input, 16);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('pilot session', () => {
  test('every ship is a TIE; controlled ships bring one Star Destroyer per controller and warp out of it', () => {
    const bare = ship('bare');
    const rc1 = ship('rc-a', { controller: 'ReplicationController', controllerUid: 'rc' });
    const rc2 = ship('rc-b', { controller: 'ReplicationController', controllerUid: 'rc' });
    const { world, cues, patch } = setup([bare, rc1, rc2]);
    assert.deepEqual([...world.enemies.values()].map((e) => `${e.kind}:${e.id}`).sort(), [
      'destroyer:rc',
      'tie:bare',
      'tie:rc-a',
      'tie:rc-b',
    ]);
    const mothership = world.enemies.get('rc')!;
    Object.assign(mothership, { x: 321, y: 123 });
    patch({
      op: 'ship',
      ship: ship('rc-c', { controller: 'ReplicationController', controllerUid: 'rc', state: 'warping' }),
    });
    const tie = world.enemies.get('rc-c')!;
    assert.deepEqual([tie.x, tie.y], [321, 123]);
    assert.deepEqual(cues.at(-1), { type: 'warp', x: 321, y: 123 });
  });

  test('a laser hit asks the server to fire at that pod; the TIE explodes only when its deletion arrives', async () => {
    const target = ship('p1');
    const { server, world, session, cues, patch } = setup([target]);
    server.answer = async () => shotAt(target, 'hit');
    placeAbove(world, 'p1');
    fly(session, fire, 400);
    assert.deepEqual(server.fired, ['p1']);
    await settle();
    assert.equal(world.score, TUNING.killScore, 'the server confirmed the hit');
    assert.ok(world.enemies.has('p1'), 'no explosion before the deletion is in the feed');
    assert.equal(cues.filter((c) => c.type === 'explosion').length, 0);
    patch({ op: 'shipRemoved', uid: 'p1' });
    assert.equal(world.enemies.has('p1'), false);
    assert.equal(cues.filter((c) => c.type === 'explosion').length, 1);
    assert.equal(session.mirror().kills, 1);
  });

  test('the verdict from the feed counts when it comes before the HTTP answer, and only once', async () => {
    const target = ship('p1');
    const { server, world, session, patch } = setup([target]);
    let answer!: (s: ShotEvent) => void;
    server.answer = () => new Promise((resolve) => (answer = resolve));
    placeAbove(world, 'p1');
    fly(session, fire, 400);
    patch(
      { op: 'shot', shot: shotAt(target, 'hit') },
      { op: 'ship', ship: { ...target, state: 'destroyed' } },
    );
    answer(shotAt(target, 'hit'));
    await settle();
    assert.equal(world.score, TUNING.killScore);
    assert.equal(world.enemies.has('p1'), false, 'a destroyed state explodes the TIE too');
  });

  test('the deletion may reach the feed before the server answers: the kill still counts', async () => {
    const target = ship('p1');
    const { server, world, session, cues, patch } = setup([target]);
    let answer!: (s: ShotEvent) => void;
    server.answer = () => new Promise((resolve) => (answer = resolve));
    placeAbove(world, 'p1');
    fly(session, fire, 400);
    patch({ op: 'ship', ship: { ...target, state: 'destroyed' } });
    assert.equal(cues.filter((c) => c.type === 'explosion').length, 1);
    answer(shotAt(target, 'hit'));
    await settle();
    assert.deepEqual([world.kills, world.score], [1, TUNING.killScore]);
  });

  test('a refused shot shows a shield, scores nothing, and the TIE can be shot at again', async () => {
    const target = ship('p1');
    const { server, world, session, cues } = setup([target]);
    server.answer = async () => shotAt(target, 'refused', { reason: 'protected namespace' });
    placeAbove(world, 'p1');
    fly(session, fire, 300);
    await settle();
    assert.equal(world.score, 0);
    assert.equal(cues.filter((c) => c.type === 'shield').length, 1);
    assert.equal(session.mirror().shields, 1);
    fly(session, fire, 300);
    assert.deepEqual(server.fired, ['p1', 'p1']);
  });

  test('someone else’s refused or dry-run shot also shows a shield, without touching the pilot’s score', () => {
    const target = ship('p1');
    const { world, cues, patch } = setup([target]);
    patch({ op: 'shot', shot: shotAt(target, 'hit', { dryRun: true, source: 'auto' }) });
    patch({ op: 'shot', shot: shotAt(target, 'hit', { source: 'auto' }) });
    assert.equal(cues.filter((c) => c.type === 'shield').length, 1);
    assert.equal(world.score, 0);
  });

  test('a request the server rejects (token, network) shows its message and frees the TIE', async () => {
    const target = ship('p1');
    const { server, world, session, cues } = setup([target]);
    server.answer = async () => {
      throw new Error('The instructor token was refused: log in again.');
    };
    placeAbove(world, 'p1');
    fly(session, fire, 300);
    await settle();
    assert.equal(world.awaiting.size, 0);
    assert.deepEqual(
      cues.find((c) => c.type === 'message'),
      {
        type: 'message',
        text: 'The instructor token was refused: log in again.',
      },
    );
  });

  test('Star Destroyer hits are only counted while the capital-ship rule is off', async () => {
    const crew = ship('d1', { controller: 'Deployment', controllerUid: 'dep' });
    const { server, world, session } = setup([crew]);
    placeAbove(world, 'dep');
    Object.assign(world.enemies.get('d1')!, { x: 50, y: 50 });
    fly(session, fire, 500);
    await settle();
    assert.ok(world.capitalHits.get('dep')! >= 2);
    assert.deepEqual(server.fired, []);
    assert.equal(server.ruleQuestions, 1, 'the rule is asked once, then cached for a while');
  });

  test('with the capital-ship rule on, a Star Destroyer hit is sent as a shot at one of its TIEs', async () => {
    const a = ship('d1', { controller: 'Deployment', controllerUid: 'dep' });
    const b = ship('d2', { controller: 'Deployment', controllerUid: 'dep' });
    const { server, world, session } = setup([a, b, ship('other')]);
    server.capitalRule = true;
    placeAbove(world, 'dep');
    for (const id of ['d1', 'd2', 'other']) Object.assign(world.enemies.get(id)!, { x: 50, y: 50 });
    session.tick(fire, 16);
    fly(session, idle, 400);
    await settle();
    assert.equal(server.fired.length, 1);
    assert.ok(['d1', 'd2'].includes(server.fired[0]!));
    assert.equal(session.mirror().capitalShotsSent, 1);
  });

  test('a Star Destroyer stays while its replacement TIE is on the way and leaves once its fleet is gone', () => {
    const only = ship('r1', { controller: 'ReplicaSet', controllerUid: 'rs' });
    const { world, session, cues, patch } = setup([only]);
    patch({ op: 'shipRemoved', uid: 'r1' });
    fly(session, idle, 2000);
    assert.ok(world.enemies.has('rs'), 'waiting for a replacement');
    patch({
      op: 'ship',
      ship: ship('r2', { controller: 'ReplicaSet', controllerUid: 'rs', state: 'warping' }),
    });
    fly(session, idle, 10_000);
    assert.ok(world.enemies.has('rs'), 'the replacement arrived: it stays');
    // Orphaned by a capital-ship kill: the pod stays but no controller owns it any more.
    patch({ op: 'ship', ship: ship('r2', { controller: 'Pod' }) });
    fly(session, idle, 10_000);
    assert.equal(world.enemies.has('rs'), false);
    assert.deepEqual(
      cues.filter((c) => c.type === 'explosion').map((c) => c.type === 'explosion' && c.big),
      [false, true],
    );
  });

  test('the mirror reports lives, score, positions and pending requests', () => {
    const { world, session } = setup([ship('p1')]);
    placeAbove(world, 'p1');
    fly(session, fire, 300);
    const m = session.mirror();
    assert.equal(m.lives, 3);
    assert.deepEqual(m.awaiting, ['p1']);
    assert.deepEqual(m.enemies['p1'], { kind: 'tie', x: 500, y: 180 });
    assert.deepEqual(m.xwing, { x: 500, y: 300, angle: -1.571 });
  });
});
