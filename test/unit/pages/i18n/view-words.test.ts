import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useLanguage } from '../../../../game/i18n/language.ts';
import { hudLines } from '../../../../game/view/hud.ts';
import { recoveryLine, shotLine } from '../../../../game/view/kill-feed.ts';
import { diagnose } from '../../../../game/view/diagnosis.ts';
import { pilotHud } from '../../../../game/view/pilot-hud.ts';
import { fleetTimelines } from '../../../../game/view/round-timeline.ts';
import { controllerBadge } from '../../../../game/view/ship-visual.ts';
import { playerNameProblem } from '../../../../game/player/fleet.ts';
import type { FleetScore, ShotEvent } from '../../../../game/store/protocol-types.ts';

// The canvas texts (battle HUD, pilot HUD, kill feed) cannot be read from the page: their view models are run in
// the pseudo-locale instead, where every word that came from a table is inside ⟦brackets⟧.
const DATA = ['leia', 'leia-1', 'ReplicationController', 'Deployment'];
/** The text without its bracketed parts (innermost first: a table string may hold another, e.g. a unit). */
function unbracketed(text: string): string {
  let rest = text;
  while (/⟦[^⟦⟧]*⟧/.test(rest)) rest = rest.replace(/⟦[^⟦⟧]*⟧/g, '');
  return rest;
}
const stray = (text: string): boolean =>
  /\p{L}/u.test(DATA.reduce((t, w) => t.split(w).join(''), unbracketed(text)));

const fleet = (over: Partial<FleetScore>): FleetScore => ({
  player: 'leia',
  rank: 1,
  alive: true,
  flying: 3,
  total: 3,
  uptime: 0.9,
  hits: 2,
  recoveries: 2,
  recoveryP50Ms: 900,
  recoveryP95Ms: 1200,
  shipsLost: 2,
  joinOrder: 0,
  controllers: ['Deployment'],
  ...over,
});
const shot = (over: Partial<ShotEvent>): ShotEvent => ({
  id: 1,
  time: 0,
  round: 1,
  uid: 'u1',
  name: 'leia-1',
  namespace: 'default',
  fleet: 'leia',
  outcome: 'hit',
  dryRun: false,
  ...over,
});

describe('view models in the pseudo-locale', () => {
  before(() => useLanguage('zz'));
  after(() => useLanguage('en'));

  test('every HUD, kill-feed, pilot, diagnosis, timeline and name-check text comes from the tables', () => {
    const rounds = [null, ...(['lobby', 'countdown', 'running', 'paused', 'finished'] as const)].map(
      (status) =>
        status === null
          ? null
          : { id: 1, status, startedAt: 0, endsAt: 60_000, countdownEndsAt: 3000, pausedAt: 1000 },
    );
    const texts = [
      ...rounds.flatMap((round) => {
        const hud = hudLines({ round, fleets: new Map(), connected: false, reconnectingSince: 0 }, 2000);
        return [hud.status, hud.warning];
      }),
      hudLines({ round: null, fleets: new Map(), connected: false, reconnectingSince: null }, 0).warning,
      shotLine(shot({})),
      shotLine(shot({ dryRun: true })),
      shotLine(shot({ outcome: 'missed' })),
      shotLine(shot({ outcome: 'refused' })),
      recoveryLine({ time: 0, round: 1, fleet: 'leia', ms: 1500 }),
      ...[
        fleet({ controllers: ['Pod'] }),
        fleet({ total: 0, controllers: ['ReplicationController'] }),
        fleet({ hits: 0, controllers: ['Pod'] }),
        fleet({ hits: 0 }),
        fleet({ total: 1 }),
        fleet({ alive: false }),
        fleet({ recoveryP95Ms: null }),
        fleet({}),
      ].map(diagnose),
      ...[false, true].flatMap((gameOver) => {
        const hud = pilotHud(
          { lives: gameOver ? 0 : 2, score: 100, kills: 1, gameOver, capitalHits: 2 },
          { round: null, fleets: new Map(), connected: false, reconnectingSince: 0 },
          1000,
        );
        return [...hud.lines, hud.banner];
      }),
      ...[
        ...fleetTimelines({
          startedAt: 0,
          finishedAt: 10_000,
          endsAt: 10_000,
          timeline: [
            { time: 1000, fleet: 'leia', kind: 'hit' },
            { time: 2000, fleet: 'leia', kind: 'recovered', ms: 1000 },
          ],
        }).values(),
      ].flatMap((t) => [t.summary, ...t.marks.map((m) => m.label)]),
      controllerBadge('Pod'),
      ...['', 'a'.repeat(64), '-leia'].map((name) => playerNameProblem(name) ?? ''),
    ];
    assert.deepEqual(texts.filter(stray), []);
    assert.ok(texts.filter((t) => t.includes('⟦')).length > 30);
  });
});
