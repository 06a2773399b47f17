import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pilotHud } from '../../../../game/view/pilot-hud.ts';
import { en } from '../../../../game/i18n/tables/en.ts';
import { soundForCue, soundForShot } from '../../../../game/sound/cues.ts';
import type { ShotEvent } from '../../../../game/store/protocol-types.ts';
import { shipTexture, starfield, tinted } from '../../../../game/textures/ship-textures.ts';

const lobby = { round: null, fleets: new Map(), connected: true, reconnectingSince: null };
const pilot = { lives: 2, score: 300, kills: 3, gameOver: false, capitalHits: 0 };

describe('pilot HUD', () => {
  test('shows lives as hearts, score, kills, the round line and the controls', () => {
    const hud = pilotHud(pilot, lobby, 0);
    assert.deepEqual(hud.lines, [
      'Lives ♥♥   Score 300   TIEs destroyed 3',
      'lobby · fleets alive 0/0',
      en.pilot.help,
    ]);
    assert.equal(hud.banner, '');
  });

  test('adds Star Destroyer hits and the reconnect warning when there are any', () => {
    const hud = pilotHud(
      { ...pilot, capitalHits: 4 },
      { ...lobby, connected: false, reconnectingSince: 0 },
      3000,
    );
    assert.ok(hud.lines.includes('Star Destroyer hits 4'));
    assert.ok(hud.lines.includes('Cluster connection lost — reconnecting for 3 sec'));
  });

  test('game over shows the final score and how to fly again', () => {
    const hud = pilotHud({ ...pilot, lives: 0, gameOver: true }, lobby, 0);
    assert.equal(hud.banner, 'GAME OVER\nScore 300\nPress Enter to fly again');
    assert.match(hud.lines[0]!, /^Lives — /);
  });
});

describe('sound cues', () => {
  const shot = (over: Partial<ShotEvent>): ShotEvent => ({
    id: 1,
    time: 0,
    round: null,
    uid: 'u',
    name: 'n',
    namespace: 'default',
    fleet: 'f',
    outcome: 'hit',
    dryRun: false,
    ...over,
  });

  test('a shot is a laser, a refused or dry-run shot a shield', () => {
    assert.equal(soundForShot(shot({})), 'laser');
    assert.equal(soundForShot(shot({ outcome: 'refused' })), 'shield');
    assert.equal(soundForShot(shot({ dryRun: true })), 'shield');
  });

  test('pilot cues map to sounds; a capital ship blows up louder; messages are silent', () => {
    assert.equal(soundForCue({ type: 'explosion', x: 0, y: 0, big: true }), 'bigExplosion');
    assert.equal(soundForCue({ type: 'explosion', x: 0, y: 0, big: false }), 'explosion');
    assert.equal(soundForCue({ type: 'laser' }), 'laser');
    assert.equal(soundForCue({ type: 'pilotHit', x: 0, y: 0 }), 'pilotHit');
    assert.equal(soundForCue({ type: 'message', text: 'x' }), null);
  });
});

describe('ship colours', () => {
  test('state colours are baked into textures by multiplying the tint, as WebGL would', () => {
    assert.equal(tinted('#c8d0dc', 0xffffff), '#c8d0dc');
    assert.equal(tinted('#ffffff', 0xff5030), '#ff5030');
    assert.equal(tinted('#808080', 0x000000), '#000000');
    assert.equal(shipTexture('damaged'), 'tie-damaged');
  });
});

describe('starfield', () => {
  test('is the same sky every time, inside the field, and capped in size for big screens', () => {
    assert.deepEqual(starfield(800, 600), starfield(800, 600));
    assert.ok(starfield(800, 600).every((s) => s.x >= 0 && s.x < 800 && s.y >= 0 && s.y < 600));
    assert.equal(starfield(800, 600).length, 60);
    assert.equal(starfield(7680, 4320).length, 400);
  });
});
