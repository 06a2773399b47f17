import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromKeys, wantsRestart } from '../../../../game/pilot/input.ts';
import {
  normaliseAngle,
  PilotWorld,
  TUNING,
  wrapCoordinate,
  type PilotEvent,
  type PilotInput,
  type Tuning,
} from '../../../../game/pilot/world.ts';
import { seededRandom } from '../../../../server/random.ts';

const FIELD = { width: 1000, height: 600 };
const idle: PilotInput = { turn: 0, thrust: false, fire: false };
const fire: PilotInput = { turn: 0, thrust: false, fire: true };
/** Enemies that hold still and never shoot, so a test aims at a fixed point. */
const calm: Tuning = { ...TUNING, tieSpeed: 0, destroyerSpeed: 0, enemyFireRate: 0 };
const FRAME = 16;

function world(tuning: Tuning = calm, seed = 1): PilotWorld {
  return new PilotWorld(FIELD, seededRandom(seed), tuning);
}

function run(w: PilotWorld, input: PilotInput, ms: number): PilotEvent[] {
  const events: PilotEvent[] = [];
  for (let t = 0; t < ms; t += FRAME) events.push(...w.step(input, FRAME));
  return events;
}

/** A TIE straight above the X-Wing, which starts in the middle facing up. */
function tieAbove(w: PilotWorld, id = 'pod-1', distance = 150): void {
  w.addEnemy(id, 'tie', { x: w.xwing.x, y: w.xwing.y - distance });
}

describe('pilot flight', () => {
  test('the X-Wing starts in the middle facing up with three lives and no score', () => {
    const w = world();
    assert.deepEqual([w.xwing.x, w.xwing.y, w.lives, w.score], [500, 300, 3, 0]);
    assert.equal(w.xwing.angle, -Math.PI / 2);
  });

  test('turning changes the heading at the turn rate and thrust pushes along the heading', () => {
    const w = world();
    run(w, { turn: 1, thrust: false, fire: false }, 160);
    assert.ok(Math.abs(w.xwing.angle - (-Math.PI / 2 + TUNING.turnRate * 0.16)) < 1e-9);
    const w2 = world();
    run(w2, { turn: 0, thrust: true, fire: false }, 500);
    assert.ok(w2.xwing.y < 300 - 20, `moved up: ${w2.xwing.y}`);
    assert.ok(Math.abs(w2.xwing.x - 500) < 1e-6, 'no sideways drift when facing straight up');
  });

  test('drag slows a coasting X-Wing and speed never exceeds the maximum', () => {
    const w = world();
    run(w, { turn: 0, thrust: true, fire: false }, 10_000);
    assert.ok(Math.hypot(w.xwing.vx, w.xwing.vy) <= TUNING.maxSpeed + 1e-9);
    const before = Math.hypot(w.xwing.vx, w.xwing.vy);
    run(w, idle, 1000);
    assert.ok(Math.hypot(w.xwing.vx, w.xwing.vy) < before * 0.6);
  });

  test('leaving one edge of the screen brings a ship back at the opposite edge', () => {
    const w = world();
    Object.assign(w.xwing, { x: 995, vx: 300, vy: 0, angle: 0 });
    w.step(idle, 100);
    assert.ok(w.xwing.x < 30, `wrapped to the left edge: ${w.xwing.x}`);
    assert.equal(wrapCoordinate(-10, 600), 590);
    assert.equal(wrapCoordinate(1210, 600), 10);
    assert.ok(
      Math.abs(normaliseAngle(3 * Math.PI) - Math.PI) < 1e-9 ||
        Math.abs(normaliseAngle(3 * Math.PI) + Math.PI) < 1e-9,
    );
  });

  test('holding Space fires once per cooldown, lasers fly ahead and fade after their lifetime', () => {
    const w = world();
    const shots = run(w, fire, 1000).filter((e) => e.type === 'fired').length;
    assert.equal(shots, Math.ceil(1000 / TUNING.fireCooldownMs));
    const w2 = world();
    w2.step(fire, FRAME);
    const laser = w2.lasers[0]!;
    assert.ok(laser.vy < -TUNING.laserSpeed + 1);
    run(w2, idle, TUNING.laserLifeMs + 50);
    assert.equal(w2.lasers.length, 0);
  });

  test('arrows and WASD turn and thrust, Space fires, Enter restarts; opposite turns cancel', () => {
    assert.deepEqual(inputFromKeys(new Set(['ArrowLeft', 'ArrowUp'])), {
      turn: -1,
      thrust: true,
      fire: false,
    });
    assert.deepEqual(inputFromKeys(new Set(['KeyD', 'KeyW', 'Space'])), {
      turn: 1,
      thrust: true,
      fire: true,
    });
    assert.equal(inputFromKeys(new Set(['KeyA', 'ArrowRight'])).turn, 0);
    assert.equal(wantsRestart(new Set(['Enter'])), true);
  });
});

describe('pilot combat', () => {
  test('a laser that hits a TIE reports it once and waits for the server instead of destroying it', () => {
    const w = world();
    tieAbove(w);
    const events = run(w, fire, 1000);
    const hits = events.filter((e) => e.type === 'tieHit');
    assert.equal(hits.length, 1, 'one request per TIE while the server decides');
    assert.equal(hits[0]!.type === 'tieHit' && hits[0]!.uid, 'pod-1');
    assert.ok(w.enemies.has('pod-1'), 'the TIE stays until its deletion arrives');
    assert.deepEqual([...w.awaiting.keys()], ['pod-1']);
    assert.equal(
      w.lasers.filter((l) => l.from === 'pilot' && l.y < w.xwing.y - 160).length,
      0,
      'lasers stop at the TIE',
    );
  });

  test('the server confirming a real deletion scores a kill; refused or dry-run shots score nothing', () => {
    const w = world();
    tieAbove(w, 'a');
    run(w, fire, 400);
    assert.equal(w.verdict('a', 'hit', false), 'kill');
    assert.deepEqual([w.score, w.kills, w.killed], [TUNING.killScore, 1, ['a']]);
    assert.equal(w.verdict('a', 'hit', false), null, 'a second report of the same shot is ignored');
    w.expectVerdict('b');
    assert.equal(w.verdict('b', 'refused', false), 'shield');
    w.expectVerdict('c');
    assert.equal(w.verdict('c', 'hit', true), 'shield');
    assert.equal(w.verdict('never-asked', 'hit', false), null, 'auto-fire shots are not the pilot’s');
    assert.equal(w.score, TUNING.killScore);
  });

  test('a verdict still counts when the deletion reached the feed first or the wait timed out', () => {
    const w = world();
    tieAbove(w, 'a');
    run(w, fire, 400);
    w.removeEnemy('a');
    assert.equal(w.verdict('a', 'hit', false), 'kill');
    w.expectVerdict('b');
    run(w, idle, TUNING.verdictTimeoutMs + 100);
    assert.equal(w.awaiting.has('b'), false, 'b can be targeted again');
    assert.equal(w.verdict('b', 'hit', false), 'kill');
    w.expectVerdict('c');
    w.restart();
    assert.equal(w.verdict('c', 'hit', false), null, 'a new game does not inherit old requests');
  });

  test('a TIE the server ruled killed takes no more requests while its deletion is on the way', () => {
    const w = world();
    tieAbove(w, 'a');
    run(w, fire, 400);
    assert.equal(w.verdict('a', 'hit', false), 'kill');
    assert.ok(w.enemies.has('a'), 'it flies on until the feed removes it');
    assert.equal(run(w, fire, 1000).filter((e) => e.type === 'tieHit').length, 0);
    assert.deepEqual([w.kills, w.score], [1, TUNING.killScore]);
  });

  test('a TIE can be targeted again after a refusal or when the server never answers', () => {
    const w = world();
    tieAbove(w, 'a');
    run(w, fire, 400);
    w.verdict('a', 'refused', false);
    assert.equal(run(w, fire, 400).filter((e) => e.type === 'tieHit').length, 1);
    run(w, idle, TUNING.verdictTimeoutMs);
    assert.equal(w.awaiting.size, 0);
    assert.equal(run(w, fire, 400).filter((e) => e.type === 'tieHit').length, 1);
  });

  test('hits on a Star Destroyer are counted per controller and score', () => {
    const w = world();
    w.addEnemy('rc-1', 'destroyer', { x: 500, y: 150 });
    const events = run(w, fire, 1000).filter((e) => e.type === 'capitalHit');
    assert.ok(events.length >= 3);
    assert.equal(w.capitalHits.get('rc-1'), events.length);
    const last = events.at(-1)!;
    assert.equal(last.type === 'capitalHit' && last.hits, events.length);
    assert.equal(w.score, events.length * TUNING.capitalHitScore);
  });

  test('an enemy laser costs a life and the X-Wing respawns shielded in the middle', () => {
    const w = world();
    Object.assign(w.xwing, { x: 100, y: 100 });
    w.lasers.push({ from: 'enemy', x: 100, y: 100, vx: 0, vy: 0, angle: 0, radius: 2, expiresAt: 10_000 });
    const events = w.step(idle, FRAME);
    assert.deepEqual(
      events.map((e) => e.type),
      ['pilotHit'],
    );
    assert.equal(w.lives, 2);
    assert.deepEqual([w.xwing.x, w.xwing.y], [500, 300]);
    assert.equal(w.invulnerable, true);
    w.lasers.push({ from: 'enemy', x: 500, y: 300, vx: 0, vy: 0, angle: 0, radius: 2, expiresAt: 10_000 });
    w.step(idle, FRAME);
    assert.equal(w.lives, 2, 'the respawn shield absorbs the next shot');
    run(w, idle, TUNING.respawnShieldMs);
    assert.equal(w.invulnerable, false);
  });

  test('ramming a ship costs a life; the third loss ends the game until a restart', () => {
    const w = world();
    for (let life = 3; life > 0; life--) {
      w.addEnemy(`tie-${life}`, 'tie', { x: w.xwing.x, y: w.xwing.y });
      w.step(idle, FRAME);
      assert.equal(w.lives, life - 1);
      w.removeEnemy(`tie-${life}`);
      run(w, idle, TUNING.respawnShieldMs);
    }
    assert.equal(w.lives, 0);
    assert.equal(w.gameOver, true);
    assert.equal(run(w, fire, 500).filter((e) => e.type === 'fired').length, 0, 'no firing after game over');
    w.score = 300;
    w.restart();
    assert.deepEqual([w.lives, w.score, w.gameOver], [3, 0, false]);
  });

  test('game over is announced once with the final score', () => {
    const w = world();
    w.lives = 1;
    w.score = 250;
    w.addEnemy('t', 'tie', { x: w.xwing.x, y: w.xwing.y });
    const events = w.step(idle, FRAME);
    assert.deepEqual(events.at(-1), { type: 'gameOver', score: 250 });
  });

  test('enemies drift, wrap and fire back at about the configured rate, Star Destroyers more often', () => {
    const w = world({ ...TUNING, maxEnemyLasers: 1000 }, 42);
    for (let i = 0; i < 10; i++) w.addEnemy(`t${i}`, 'tie');
    w.addEnemy('d', 'destroyer');
    const start = { ...w.enemies.get('t0')! };
    // The X-Wing is kept shielded so hits never end the game and enemies keep firing for the whole run.
    const shooters: string[] = [];
    for (let t = 0; t < 100_000; t += FRAME) {
      for (const e of w.step(idle, FRAME)) if (e.type === 'enemyFired') shooters.push(e.id);
      w.invulnerableUntil = w.now + 1000;
    }
    const rate = shooters.length / 100;
    assert.ok(Math.abs(rate - TUNING.enemyFireRate) < 0.2, `about ${TUNING.enemyFireRate}/s, got ${rate}`);
    const destroyerShare = shooters.filter((s) => s === 'd').length / shooters.length;
    const expected = TUNING.destroyerFireWeight / (TUNING.destroyerFireWeight + 10);
    assert.ok(Math.abs(destroyerShare - expected) < 0.1, `destroyer share ${destroyerShare} ~ ${expected}`);
    const t0 = w.enemies.get('t0')!;
    assert.notDeepEqual([t0.x, t0.y], [start.x, start.y]);
    for (const e of w.enemies.values()) {
      assert.ok(e.x >= 0 && e.x < FIELD.width && e.y >= 0 && e.y < FIELD.height);
    }
  });

  test('enemy fire never exceeds the cap of lasers in flight', () => {
    const w = world({ ...TUNING, enemyFireRate: 1000 });
    for (let i = 0; i < 20; i++) w.addEnemy(`t${i}`, 'tie');
    w.invulnerableUntil = 1e9;
    run(w, idle, 2000);
    assert.ok(w.lasers.filter((l) => l.from === 'enemy').length <= TUNING.maxEnemyLasers);
  });

  test('new enemies appear clear of the X-Wing unless they launch from a mothership', () => {
    const w = world(calm, 3);
    for (let i = 0; i < 50; i++) {
      const e = w.addEnemy(`t${i}`, 'tie');
      assert.ok(Math.hypot(e.x - w.xwing.x, e.y - w.xwing.y) >= TUNING.safeSpawnDistance);
    }
    const launched = w.addEnemy('x', 'tie', { x: 10, y: 20 });
    assert.deepEqual([launched.x, launched.y], [10, 20]);
    assert.equal(w.addEnemy('x', 'tie'), launched, 'adding a known id keeps the ship where it is');
  });

  test('the same seed replays the same field', () => {
    const a = world(TUNING, 9);
    const b = world(TUNING, 9);
    for (const w of [a, b]) {
      for (let i = 0; i < 5; i++) w.addEnemy(`t${i}`, 'tie');
      run(w, { turn: 1, thrust: true, fire: true }, 3000);
    }
    assert.deepEqual(
      [...a.enemies.values()].map((e) => [e.x, e.y]),
      [...b.enemies.values()].map((e) => [e.x, e.y]),
    );
    assert.equal(a.lives, b.lives);
  });
});
