import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_GAP_SECONDS,
  RECIPES,
  SOUND_KEY,
  SoundEffects,
  type AudioContextLike,
  type SoundName,
} from '../../../../game/sound/sfx.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** Records the WebAudio nodes a sound builds and when they start, with a clock the test moves. */
function fakeAudio() {
  const log: string[] = [];
  const param = () => ({ setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined });
  const node = (kind: string) => ({
    type: '',
    buffer: null as unknown,
    gain: param(),
    frequency: param(),
    connect(next: unknown) {
      return next;
    },
    start(at: number) {
      log.push(`${kind} start ${at}`);
    },
    stop: () => undefined,
  });
  const ctx = {
    currentTime: 0,
    sampleRate: 8000,
    destination: {},
    state: 'running',
    resume: async () => undefined,
    createGain: () => node('gain'),
    createOscillator: () => node('tone'),
    createBufferSource: () => node('noise'),
    createBiquadFilter: () => node('filter'),
    createBuffer: (_channels: number, length: number) => {
      log.push('buffer');
      const data = new Float32Array(length);
      return { getChannelData: () => data };
    },
  };
  let created = 0;
  return {
    ctx,
    log,
    created: () => created,
    factory: () => {
      created += 1;
      return ctx as unknown as AudioContextLike;
    },
  };
}

describe('sound effects', () => {
  test('are off by default and make no audio context until turned on', () => {
    const audio = fakeAudio();
    const sfx = new SoundEffects(new MemoryStorage(), audio.factory);
    assert.equal(sfx.enabled, false);
    assert.equal(sfx.play('laser'), false);
    assert.equal(audio.created(), 0);
  });

  test('turning them on is remembered for the next visit', () => {
    const storage = new MemoryStorage();
    new SoundEffects(storage, fakeAudio().factory).setEnabled(true);
    assert.equal(storage.getItem(SOUND_KEY), 'on');
    assert.equal(new SoundEffects(storage, fakeAudio().factory).enabled, true);
    new SoundEffects(storage, fakeAudio().factory).setEnabled(false);
    assert.equal(new SoundEffects(storage, fakeAudio().factory).enabled, false);
  });

  test('tones play on an oscillator, blasts on filtered noise made once', () => {
    const audio = fakeAudio();
    const sfx = new SoundEffects(new MemoryStorage(), audio.factory);
    sfx.setEnabled(true);
    assert.equal(sfx.play('laser'), true);
    assert.equal(sfx.play('explosion'), true);
    assert.equal(sfx.play('pilotHit'), true);
    assert.deepEqual(audio.log, ['tone start 0', 'buffer', 'noise start 0', 'noise start 0']);
  });

  test('the same sound is not restarted within the minimum gap', () => {
    const audio = fakeAudio();
    const sfx = new SoundEffects(new MemoryStorage(), audio.factory);
    sfx.setEnabled(true);
    assert.equal(sfx.play('warp'), true);
    assert.equal(sfx.play('warp'), false);
    assert.equal(sfx.play('shield'), true, 'other sounds are not held back');
    audio.ctx.currentTime = MIN_GAP_SECONDS;
    assert.equal(sfx.play('warp'), true);
  });

  test('a browser without WebAudio stays silent instead of failing', () => {
    const sfx = new SoundEffects(new MemoryStorage(), () => {
      throw new ReferenceError('AudioContext is not defined');
    });
    sfx.setEnabled(true);
    assert.equal(sfx.play('laser'), false);
  });

  test('every sound has a recipe that fades out within two seconds', () => {
    const names: SoundName[] = [
      'laser',
      'enemyLaser',
      'explosion',
      'bigExplosion',
      'shield',
      'warp',
      'pilotHit',
    ];
    for (const name of names) {
      const r = RECIPES[name];
      assert.ok(r.seconds > 0 && r.seconds <= 2 && r.volume > 0 && r.volume <= 0.5, name);
    }
  });
});
