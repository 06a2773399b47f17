/**
 * Sound effects, off by default: every sound is synthesised with WebAudio from the recipes below (no audio files).
 * The choice is remembered in localStorage.
 */

export type SoundName =
  'laser' | 'enemyLaser' | 'explosion' | 'bigExplosion' | 'shield' | 'warp' | 'pilotHit';

/** A pitch sweep on one oscillator. */
interface Tone {
  kind: 'tone';
  wave: OscillatorType;
  from: number;
  to: number;
  seconds: number;
  volume: number;
}

/** White noise through a closing low-pass filter: blasts and rumbles. */
interface Noise {
  kind: 'noise';
  cutoffFrom: number;
  cutoffTo: number;
  seconds: number;
  volume: number;
}

export type Recipe = Tone | Noise;

export const RECIPES: Record<SoundName, Recipe> = {
  laser: { kind: 'tone', wave: 'square', from: 1400, to: 260, seconds: 0.14, volume: 0.08 },
  enemyLaser: { kind: 'tone', wave: 'sawtooth', from: 600, to: 140, seconds: 0.18, volume: 0.05 },
  explosion: { kind: 'noise', cutoffFrom: 2400, cutoffTo: 120, seconds: 0.55, volume: 0.35 },
  bigExplosion: { kind: 'noise', cutoffFrom: 1200, cutoffTo: 40, seconds: 1.6, volume: 0.5 },
  shield: { kind: 'tone', wave: 'sine', from: 320, to: 980, seconds: 0.3, volume: 0.12 },
  warp: { kind: 'tone', wave: 'triangle', from: 90, to: 720, seconds: 0.35, volume: 0.06 },
  pilotHit: { kind: 'noise', cutoffFrom: 900, cutoffTo: 60, seconds: 0.9, volume: 0.45 },
};

/** The same sound starts at most this often: 1,000 ships warping in at once must not become a roar. */
export const MIN_GAP_SECONDS = 0.08;

export const SOUND_KEY = 'kubewars.sound';

export function readSoundPreference(storage: Pick<Storage, 'getItem'>): boolean {
  return storage.getItem(SOUND_KEY) === 'on';
}

export function writeSoundPreference(storage: Pick<Storage, 'setItem'>, on: boolean): void {
  storage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

/** The part of WebAudio this module uses, so tests can count what would have played. */
export type AudioContextLike = Pick<
  AudioContext,
  | 'currentTime'
  | 'sampleRate'
  | 'destination'
  | 'state'
  | 'resume'
  | 'createOscillator'
  | 'createGain'
  | 'createBuffer'
  | 'createBufferSource'
  | 'createBiquadFilter'
>;

export class SoundEffects {
  private context: AudioContextLike | null = null;
  private noise: AudioBuffer | null = null;
  private readonly lastStart = new Map<SoundName, number>();
  private on: boolean;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly createContext: () => AudioContextLike = () => new AudioContext(),
  ) {
    this.on = readSoundPreference(storage);
  }

  get enabled(): boolean {
    return this.on;
  }

  /** Call from a click or key handler: browsers only let audio start after a user gesture. */
  setEnabled(on: boolean): void {
    this.on = on;
    writeSoundPreference(this.storage, on);
    if (on) void this.audio()?.resume();
  }

  /** Plays `name` now; returns whether it started (off, throttled or no audio support all say false). */
  play(name: SoundName): boolean {
    if (!this.on) return false;
    const ctx = this.audio();
    if (!ctx || ctx.state !== 'running') return false;
    const now = ctx.currentTime;
    const last = this.lastStart.get(name);
    if (last !== undefined && now - last < MIN_GAP_SECONDS) return false;
    this.lastStart.set(name, now);
    const recipe = RECIPES[name];
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(recipe.volume, now);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + recipe.seconds);
    gain.connect(ctx.destination);
    if (recipe.kind === 'tone') {
      const osc = ctx.createOscillator();
      osc.type = recipe.wave;
      osc.frequency.setValueAtTime(recipe.from, now);
      osc.frequency.exponentialRampToValueAtTime(recipe.to, now + recipe.seconds);
      osc.connect(gain);
      osc.start(now);
      osc.stop(now + recipe.seconds);
    } else {
      const source = ctx.createBufferSource();
      source.buffer = this.noiseBuffer(ctx);
      const filter = ctx.createBiquadFilter();
      filter.type = 'lowpass';
      filter.frequency.setValueAtTime(recipe.cutoffFrom, now);
      filter.frequency.exponentialRampToValueAtTime(recipe.cutoffTo, now + recipe.seconds);
      source.connect(filter).connect(gain);
      source.start(now);
      source.stop(now + recipe.seconds);
    }
    return true;
  }

  private audio(): AudioContextLike | null {
    if (this.context) return this.context;
    try {
      this.context = this.createContext();
    } catch {
      // No WebAudio (old or locked-down browser): the game stays silent rather than failing.
      return null;
    }
    return this.context;
  }

  /** Two seconds of white noise, made once and reused by every blast. */
  private noiseBuffer(ctx: AudioContextLike): AudioBuffer {
    if (this.noise) return this.noise;
    const buffer = ctx.createBuffer(1, ctx.sampleRate * 2, ctx.sampleRate);
    const data = buffer.getChannelData(0);
    for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
    this.noise = buffer;
    return buffer;
  }
}
