import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cockpitView, countShips, FleetLog } from '../../../../game/player/cockpit.ts';
import type { FeedEvent } from '../../../../game/store/live-game-state.ts';
import type { ShotEvent } from '../../../../game/store/protocol-types.ts';
import { formatTime } from '../../../../game/i18n/format.ts';
import { useLanguage } from '../../../../game/i18n/language.ts';
import { fleet, ship } from '../../../support/game-fixtures.ts';

const NO_SHIPS = { flying: 0, total: 0 };

afterEach(() => useLanguage('en'));

const T0 = Date.UTC(2026, 11, 5, 14, 0, 0);
let shotIds = 0;
const shot = (fleetName: string, over: Partial<ShotEvent> = {}): FeedEvent => ({
  kind: 'shot',
  shot: {
    id: ++shotIds,
    time: T0,
    round: 1,
    uid: 'u1',
    name: `${fleetName}-7d9f-abcde`,
    namespace: 'default',
    fleet: fleetName,
    outcome: 'hit',
    dryRun: false,
    source: 'auto',
    ...over,
  },
});
const recovery = (fleetName: string, ms: number, time = T0 + ms): FeedEvent => ({
  kind: 'recovery',
  recovery: { time, round: 1, fleet: fleetName, ms },
});

test('the fleet log keeps only the attendee’s shots and recoveries, the latest twenty', () => {
  const log = new FleetLog('rey');
  assert.equal(log.add(shot('finn')), false);
  assert.equal(log.add(recovery('finn', 1000)), false);
  assert.equal(log.add(shot('rey')), true);
  for (let i = 0; i < 25; i++) log.add(recovery('rey', 1000 + i));
  assert.equal(log.events.length, 20);
  assert.deepEqual(
    log.events.map((e) => (e.kind === 'recovery' ? e.recovery.ms : 0)),
    Array.from({ length: 20 }, (_, i) => 1005 + i),
  );
});

test('before the game has seen a ship of the fleet, the cockpit asks for a launch', () => {
  const view = cockpitView(undefined, NO_SHIPS, 3, null, []);
  assert.equal(view.state, 'waiting');
  assert.equal(view.headline, 'No ship yet: launch your fleet (step 2) and it shows here.');
  assert.deepEqual(view.stats, []);
  assert.equal(view.why, null);
});

test('a flying fleet shows its ships, rank in the room, hits, recoveries and their times, newest event first', () => {
  const rey = fleet('rey', {
    flying: 2,
    total: 3,
    rank: 2,
    hits: 2,
    recoveries: 1,
    recoveryP50Ms: 2100,
    recoveryP95Ms: 2100,
    controllers: ['Deployment'],
  });
  const events = [
    shot('rey', { source: 'auto' }),
    recovery('rey', 2100),
    shot('rey', { source: 'manual', time: T0 + 5000 }),
  ];
  const view = cockpitView(
    rey,
    NO_SHIPS,
    12,
    { id: 1, status: 'running', startedAt: T0, endsAt: T0 + 60_000 },
    events,
  );
  assert.equal(view.state, 'flying');
  assert.equal(view.headline, 'Flying');
  assert.deepEqual(view.stats, [
    '2/3 ships flying',
    'rank 2 of 12',
    '2 hits',
    '1 recovery',
    'recovery time p50 2.1 s, p95 2.1 s',
  ]);
  assert.equal(view.why, null);
  assert.deepEqual(view.events, [
    `${formatTime(T0 + 5000)} — rey-7d9f-abcde hit by the instructor`,
    `${formatTime(T0 + 2100)} — back to full strength in 2.1 s`,
    `${formatTime(T0)} — rey-7d9f-abcde hit by auto-fire`,
  ]);
});

test('when the fleet dies, the cockpit gives the round report’s one line on why', () => {
  const rey = fleet('rey', { alive: false, flying: 0, total: 0, hits: 1, controllers: [], eliminatedAt: T0 });
  const view = cockpitView(rey, NO_SHIPS, 2, null, [shot('rey')]);
  assert.equal(view.state, 'eliminated');
  assert.equal(view.headline, 'Eliminated');
  assert.equal(view.why, 'Why: bare pod: nothing recreated it');
});

test('at the end of the round a surviving fleet gets its line too', () => {
  const rey = fleet('rey', { hits: 0, flying: 3, total: 3, controllers: ['Deployment'] });
  const finished = { id: 1, status: 'finished' as const, startedAt: T0, endsAt: T0 + 60_000 };
  assert.equal(cockpitView(rey, NO_SHIPS, 1, finished, []).why, 'Why: never hit: 3 ships flying untouched');
});

test('refused, missed and dry-run shots say so, and a quiet fleet says nothing hit it', () => {
  const rey = fleet('rey');
  const view = cockpitView(rey, NO_SHIPS, 1, null, [
    shot('rey', { outcome: 'refused', reason: 'hard stop: firing is halted' }),
    shot('rey', { outcome: 'missed' }),
    shot('rey', { dryRun: true }),
  ]);
  const at = formatTime(T0);
  assert.deepEqual(view.events, [
    `${at} — rey-7d9f-abcde would have been hit by auto-fire (dry run)`,
    `${at} — the shot at rey-7d9f-abcde missed: it was already gone`,
    `${at} — the shot at rey-7d9f-abcde was refused (hard stop: firing is halted)`,
  ]);
  assert.deepEqual(cockpitView(rey, NO_SHIPS, 1, null, []).events, ['Nothing has hit your fleet yet.']);
});

test('the cockpit speaks the page language', () => {
  useLanguage('ru');
  const view = cockpitView(fleet('rey', { flying: 2, total: 3, rank: 1 }), NO_SHIPS, 5, null, []);
  assert.equal(view.headline, 'В полёте');
  assert.deepEqual(view.stats.slice(0, 2), ['в полёте 2 из 3 кораблей', 'место 1 из 5']);
});

test('a fleet the game has not ranked yet (launched after the round finished) shows its ships', () => {
  const ships = [
    ship('a', { fleet: 'rey' }),
    ship('b', { fleet: 'rey', state: 'warping' }),
    ship('c', { fleet: 'finn' }),
  ];
  const count = countShips(ships, 'rey');
  assert.deepEqual(count, { flying: 1, total: 2 });
  const view = cockpitView(undefined, count, 3, null, []);
  assert.equal(view.state, 'flying');
  assert.deepEqual(view.stats, ['1/2 ships flying']);
  assert.equal(view.why, null);
  assert.equal(cockpitView(undefined, { flying: 0, total: 1 }, 3, null, []).state, 'warping');
});

test('ships that have not flown yet are on their way, not dead, and get no why', () => {
  const rey = fleet('rey', {
    alive: false,
    flying: 0,
    total: 3,
    eliminatedAt: null,
    controllers: ['Deployment'],
  });
  const view = cockpitView(rey, NO_SHIPS, 1, null, []);
  assert.equal(view.state, 'warping');
  assert.equal(view.headline, 'On the way: no ship flying yet');
  assert.equal(view.why, null);
});
