import type { LiveGameState } from '../store/live-game-state.ts';
import type { Ship, ShotEvent } from '../store/protocol-types.ts';
import { hasMothership } from '../view/ship-visual.ts';
import type { RandomSource } from '../../server/random.ts';
import type { PilotInput, PilotWorld } from './world.ts';

/** The server side of pilot mode: the instructor API's manual shot and the capital-ship rule. */
export interface PilotServer {
  /** `POST /api/fire {uid}`; resolves with the server's shot event (hit, refused or missed). */
  fire(uid: string): Promise<ShotEvent>;
  /** Whether the server's capital-ship rule is on (`GET /api/state` chaos.capitalShips.enabled). */
  capitalShipsEnabled(): Promise<boolean>;
}

/** What the scene and the sound effects react to; positions are field coordinates. */
export type PilotCue =
  | { type: 'laser' }
  | { type: 'enemyLaser' }
  | { type: 'warp'; x: number; y: number }
  | { type: 'explosion'; x: number; y: number; big: boolean }
  | { type: 'shield'; x: number; y: number; radius: number }
  | { type: 'pilotHit'; x: number; y: number }
  | { type: 'gameOver' }
  | { type: 'message'; text: string };

/** The pilot's standing, read by the HUD every frame. */
export interface PilotStatus {
  lives: number;
  score: number;
  kills: number;
  gameOver: boolean;
  capitalHits: number;
}

/** What the page mirrors for tests: the pilot's state, not pixels. */
export interface PilotMirror extends PilotStatus {
  invulnerable: boolean;
  xwing: { x: number; y: number; angle: number };
  enemies: Record<string, { kind: string; x: number; y: number }>;
  awaiting: string[];
  /** TIEs the server confirmed destroyed for this pilot, most recent last. */
  killed: string[];
  capitalShotsSent: number;
  shields: number;
}

/** How long a cached answer about the capital-ship rule is trusted before asking the server again. */
const RULE_TTL_MS = 5000;
/** A Star Destroyer whose TIEs are all gone waits this long for replacements to warp out of it before leaving. */
const EMPTY_MOTHERSHIP_MS = 6000;

/**
 * Glue between the pure pilot world, the game store and the server: TIEs and Star Destroyers follow the store's
 * ships, laser hits become manual shots, and a TIE explodes only when its deletion arrives in the feed. No DOM:
 * the scene draws `world` and the cues, the sound effects play the cues.
 */
export class PilotSession {
  capitalShotsSent = 0;
  shields = 0;
  private readonly cueListeners = new Set<(cue: PilotCue) => void>();
  private rule: { enabled: Promise<boolean>; at: number } | null = null;
  /** Controllers with no ships left, by when they emptied (world time). */
  private readonly emptySince = new Map<string, number>();

  constructor(
    readonly world: PilotWorld,
    private readonly store: LiveGameState,
    private readonly server: PilotServer,
    private readonly random: RandomSource,
  ) {
    for (const ship of store.ships.values()) this.shipAppeared(ship);
    store.subscribe({
      shipAdded: (ship) => this.shipAppeared(ship),
      shipChanged: (ship, previous) => this.shipChanged(ship, previous),
      shipRemoved: (ship) => this.shipGone(ship),
      // A snapshot's earlier shots were ruled on long ago: no shield for them now.
      shot: (shot, replayed) => {
        if (!replayed) this.shotAnnounced(shot);
      },
    });
  }

  onCue(listener: (cue: PilotCue) => void): () => void {
    this.cueListeners.add(listener);
    return () => this.cueListeners.delete(listener);
  }

  tick(input: PilotInput, dtMs: number, restart = false): void {
    if (restart && this.world.gameOver) this.world.restart();
    for (const [controllerUid, since] of this.emptySince) {
      if (this.world.now - since >= EMPTY_MOTHERSHIP_MS) this.dropMothership(controllerUid);
    }
    for (const event of this.world.step(input, dtMs)) {
      switch (event.type) {
        case 'fired':
          this.cue({ type: 'laser' });
          break;
        case 'enemyFired':
          this.cue({ type: 'enemyLaser' });
          break;
        case 'tieHit':
          this.askToFire(event.uid);
          break;
        case 'capitalHit':
          void this.capitalHit(event.controllerUid);
          break;
        case 'pilotHit':
          this.cue({ type: 'pilotHit', x: event.x, y: event.y });
          break;
        case 'gameOver':
          this.cue({ type: 'gameOver' });
          break;
      }
    }
  }

  status(): PilotStatus {
    const w = this.world;
    let capitalHits = 0;
    for (const hits of w.capitalHits.values()) capitalHits += hits;
    return { lives: w.lives, score: w.score, kills: w.kills, gameOver: w.gameOver, capitalHits };
  }

  mirror(): PilotMirror {
    const w = this.world;
    const enemies: PilotMirror['enemies'] = {};
    for (const e of w.enemies.values()) enemies[e.id] = { kind: e.kind, x: round(e.x), y: round(e.y) };
    return {
      ...this.status(),
      invulnerable: w.invulnerable,
      xwing: { x: round(w.xwing.x), y: round(w.xwing.y), angle: Math.round(w.xwing.angle * 1000) / 1000 },
      enemies,
      awaiting: [...w.awaiting.keys()],
      killed: w.killed,
      capitalShotsSent: this.capitalShotsSent,
      shields: this.shields,
    };
  }

  private askToFire(uid: string): void {
    this.server.fire(uid).then(
      (shot) => this.ruled(shot),
      (error: Error) => {
        this.world.release(uid);
        this.shieldAt(uid);
        this.cue({ type: 'message', text: error.message });
      },
    );
  }

  /** The feed and the HTTP answer both carry the verdict; whichever comes first counts, the other is ignored. */
  private ruled(shot: ShotEvent): void {
    if (this.world.verdict(shot.uid, shot.outcome, shot.dryRun) === 'shield') this.shieldAt(shot.uid);
  }

  private shotAnnounced(shot: ShotEvent): void {
    const verdict = this.world.verdict(shot.uid, shot.outcome, shot.dryRun);
    // Someone else's refused or dry-run shot (auto fire, the mini map) still shows its shield.
    if (verdict === 'shield' || (verdict === null && (shot.outcome === 'refused' || shot.dryRun))) {
      this.shieldAt(shot.uid);
    }
  }

  /**
   * The server counts manual hits on a controller's pods toward destroying the controller, so with the rule on a
   * Star Destroyer hit is sent as a shot at one of its TIEs; with it off the hit only scores here.
   */
  private async capitalHit(controllerUid: string): Promise<void> {
    if (!(await this.capitalShipsEnabled())) return;
    const crew = [...this.store.ships.values()].filter(
      (s) => s.controllerUid === controllerUid && s.state !== 'destroyed' && !this.world.awaiting.has(s.uid),
    );
    const target = crew[Math.floor(this.random() * crew.length)];
    if (!target) return;
    this.capitalShotsSent += 1;
    this.world.expectVerdict(target.uid);
    this.askToFire(target.uid);
  }

  /** Asks the server at most once per TTL; hits landing while the question is out share its answer. */
  private capitalShipsEnabled(): Promise<boolean> {
    const now = this.world.now;
    if (this.rule && now - this.rule.at < RULE_TTL_MS) return this.rule.enabled;
    const enabled = this.server.capitalShipsEnabled().catch((error: Error) => {
      this.cue({ type: 'message', text: error.message });
      return false;
    });
    this.rule = { enabled, at: now };
    return enabled;
  }

  private shipAppeared(ship: Ship): void {
    if (ship.state === 'destroyed') return;
    const mothership = this.ensureMothership(ship);
    const tie = this.world.addEnemy(
      ship.uid,
      'tie',
      mothership ? { x: mothership.x, y: mothership.y } : undefined,
    );
    this.cue({ type: 'warp', x: tie.x, y: tie.y });
  }

  private shipChanged(ship: Ship, previous: Ship): void {
    if (ship.state === 'destroyed') {
      this.shipGone(ship);
      return;
    }
    if (!this.world.enemies.has(ship.uid)) this.shipAppeared(ship);
    if (previous.controllerUid !== ship.controllerUid) {
      this.ensureMothership(ship);
      if (previous.controllerUid) this.noteIfEmpty(previous.controllerUid);
    }
  }

  /** The real deletion (or a destroyed state) arrived: the TIE explodes where it is flying. */
  private shipGone(ship: Ship): void {
    const tie = this.world.enemies.get(ship.uid);
    if (tie) {
      this.world.removeEnemy(ship.uid);
      this.cue({ type: 'explosion', x: tie.x, y: tie.y, big: false });
    }
    if (ship.controllerUid) this.noteIfEmpty(ship.controllerUid);
  }

  private ensureMothership(ship: Ship): { x: number; y: number } | undefined {
    if (!hasMothership(ship.controller) || !ship.controllerUid) return undefined;
    this.emptySince.delete(ship.controllerUid);
    return this.world.enemies.get(ship.controllerUid) ?? this.world.addEnemy(ship.controllerUid, 'destroyer');
  }

  /** A controller left with no ships (destroyed, orphaned its pods, or between a deletion and its replacement). */
  private noteIfEmpty(controllerUid: string): void {
    if (!this.world.enemies.has(controllerUid)) return;
    for (const s of this.store.ships.values()) {
      if (s.controllerUid === controllerUid && s.state !== 'destroyed') return;
    }
    if (!this.emptySince.has(controllerUid)) this.emptySince.set(controllerUid, this.world.now);
  }

  private dropMothership(controllerUid: string): void {
    this.emptySince.delete(controllerUid);
    const destroyer = this.world.enemies.get(controllerUid);
    if (!destroyer) return;
    this.world.removeEnemy(controllerUid);
    this.cue({ type: 'explosion', x: destroyer.x, y: destroyer.y, big: true });
  }

  private shieldAt(uid: string): void {
    this.shields += 1;
    const tie = this.world.enemies.get(uid);
    if (tie) this.cue({ type: 'shield', x: tie.x, y: tie.y, radius: tie.radius * 1.6 });
  }

  private cue(cue: PilotCue): void {
    for (const listener of this.cueListeners) listener(cue);
  }
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
