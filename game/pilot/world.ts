/**
 * Pilot mode's rules, as in the original Kube-Wars game: the X-Wing turns, thrusts and fires on a wrap-around
 * field; TIE fighters (pods) and Star Destroyers (controllers) drift and fire back at random; three lives and a
 * score. Pure: time only moves through `step(dtMs)` and randomness comes from the injected source. Whether a hit
 * TIE is really destroyed is the server's call: the world only reports the hit and waits for the verdict.
 */
import type { RandomSource } from '../../server/random.ts';

export interface Bounds {
  width: number;
  height: number;
}

export interface Body {
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Heading in radians, 0 pointing right, growing clockwise (screen coordinates). */
  angle: number;
  radius: number;
}

export type EnemyKind = 'tie' | 'destroyer';

export interface Enemy extends Body {
  /** Pod uid for a TIE, controller uid for a Star Destroyer. */
  id: string;
  kind: EnemyKind;
}

export interface Laser extends Body {
  from: 'pilot' | 'enemy';
  expiresAt: number;
}

export interface PilotInput {
  turn: -1 | 0 | 1;
  thrust: boolean;
  fire: boolean;
}

export type PilotEvent =
  | { type: 'fired' }
  | { type: 'enemyFired'; id: string }
  /** A pilot laser hit a TIE: ask the server to fire at that pod. */
  | { type: 'tieHit'; uid: string; x: number; y: number }
  /** A pilot laser hit a Star Destroyer; `hits` is its running count. */
  | { type: 'capitalHit'; controllerUid: string; hits: number; x: number; y: number }
  | { type: 'pilotHit'; livesLeft: number; x: number; y: number }
  | { type: 'gameOver'; score: number };

/** What the server said about a TIE the pilot asked it to fire at. */
export type Verdict = 'kill' | 'shield';

export const TUNING = {
  lives: 3,
  turnRate: 4.2, // rad/s
  thrust: 420, // px/s²
  drag: 0.6, // share of speed lost per second
  maxSpeed: 460, // px/s
  xwingRadius: 14,
  fireCooldownMs: 220,
  laserSpeed: 760, // px/s, added to the shooter's velocity
  laserLifeMs: 900,
  enemyLaserSpeed: 300,
  enemyLaserLifeMs: 2600,
  /** Enemy shots per second across the whole field, so 1,000 TIEs do not turn into a wall of fire. */
  enemyFireRate: 0.9,
  /** How much likelier a Star Destroyer is to be the one firing than a TIE. */
  destroyerFireWeight: 4,
  /** Radians of random error in enemy aim. */
  enemySpread: 0.25,
  maxEnemyLasers: 8,
  tieSpeed: 40,
  destroyerSpeed: 14,
  tieRadius: 12,
  destroyerRadius: 30,
  respawnShieldMs: 2500,
  /** Enemies spawn at least this far from the X-Wing. */
  safeSpawnDistance: 160,
  /** A TIE the server has not ruled on within this time can be targeted again. */
  verdictTimeoutMs: 5000,
  killScore: 100,
  capitalHitScore: 25,
} as const;

const MAX_REQUESTED = 200;

export type Tuning = { [K in keyof typeof TUNING]: number };

export class PilotWorld {
  readonly xwing: Body;
  readonly enemies = new Map<string, Enemy>();
  lasers: Laser[] = [];
  lives: number;
  score = 0;
  kills = 0;
  /** Uids of the TIEs the server confirmed destroyed for this pilot, most recent last (the last 20). */
  killed: string[] = [];
  /** Milliseconds of simulated time since the world began. */
  now = 0;
  invulnerableUntil = 0;
  /** Capital-ship hits per controller uid. */
  readonly capitalHits = new Map<string, number>();
  /** TIEs just asked about, with when: not asked about again until the verdict or a timeout. */
  readonly awaiting = new Map<string, number>();
  /**
   * Every request still without a verdict. Kept apart from `awaiting` because the verdict can come late: after
   * the deletion itself has reached the feed (the watch can beat the server's answer) or after the timeout.
   */
  private readonly requested = new Set<string>();
  private nextShotAt = 0;
  private bounds: Bounds;

  constructor(
    bounds: Bounds,
    private readonly random: RandomSource,
    private readonly tuning: Tuning = TUNING,
  ) {
    this.bounds = { ...bounds };
    this.lives = tuning.lives;
    this.xwing = { x: bounds.width / 2, y: bounds.height / 2, vx: 0, vy: 0, angle: -Math.PI / 2, radius: 0 };
    this.xwing.radius = tuning.xwingRadius;
  }

  get gameOver(): boolean {
    return this.lives <= 0;
  }

  get invulnerable(): boolean {
    return this.now < this.invulnerableUntil;
  }

  resize(bounds: Bounds): void {
    this.bounds = { ...bounds };
    for (const body of [this.xwing, ...this.enemies.values(), ...this.lasers]) this.wrap(body);
  }

  /** Adds a ship that drifts in a random direction; at `at` (its mothership) or somewhere clear of the X-Wing. */
  addEnemy(id: string, kind: EnemyKind, at?: { x: number; y: number }): Enemy {
    const existing = this.enemies.get(id);
    if (existing) return existing;
    const speed = kind === 'tie' ? this.tuning.tieSpeed : this.tuning.destroyerSpeed;
    const heading = this.random() * Math.PI * 2;
    const place = at ?? this.clearSpot();
    const enemy: Enemy = {
      id,
      kind,
      x: place.x,
      y: place.y,
      vx: Math.cos(heading) * speed * (0.5 + this.random()),
      vy: Math.sin(heading) * speed * (0.5 + this.random()),
      angle: heading,
      radius: kind === 'tie' ? this.tuning.tieRadius : this.tuning.destroyerRadius,
    };
    this.enemies.set(id, enemy);
    return enemy;
  }

  removeEnemy(id: string): void {
    this.enemies.delete(id);
    this.awaiting.delete(id);
  }

  /**
   * The server's ruling on a TIE the pilot hit: a real deletion scores, anything else (refused, dry run, already
   * gone) is a shield. Returns null for shots the pilot did not ask for (auto-fire, manual fire).
   */
  verdict(uid: string, outcome: 'hit' | 'refused' | 'missed', dryRun: boolean): Verdict | null {
    if (!this.requested.has(uid)) return null;
    this.requested.delete(uid);
    this.awaiting.delete(uid);
    if (outcome === 'hit' && !dryRun) {
      this.kills += 1;
      this.killed = [...this.killed.slice(-19), uid];
      this.score += this.tuning.killScore;
      return 'kill';
    }
    return 'shield';
  }

  /** Marks a TIE as asked about: no new request for it until the server rules or the wait times out. */
  expectVerdict(uid: string): void {
    this.awaiting.set(uid, this.now);
    this.requested.add(uid);
    // Verdicts that never come (a lost answer) must not pile up over a long session.
    if (this.requested.size > MAX_REQUESTED) this.requested.delete(this.requested.values().next().value!);
  }

  /** The request never reached the server (network, token): the TIE can be targeted again. */
  release(uid: string): void {
    this.awaiting.delete(uid);
    this.requested.delete(uid);
  }

  /** A new game after game over: full lives, score reset, the field kept. */
  restart(): void {
    this.lives = this.tuning.lives;
    this.score = 0;
    this.kills = 0;
    this.killed = [];
    this.requested.clear();
    this.awaiting.clear();
    this.capitalHits.clear();
    this.lasers = [];
    this.respawn();
  }

  step(input: PilotInput, dtMs: number): PilotEvent[] {
    const dt = dtMs / 1000;
    this.now += dtMs;
    const events: PilotEvent[] = [];
    for (const [uid, since] of this.awaiting) {
      if (this.now - since >= this.tuning.verdictTimeoutMs) this.awaiting.delete(uid);
    }
    if (!this.gameOver) this.fly(input, dt, events);
    for (const enemy of this.enemies.values()) this.move(enemy, dt);
    this.lasers = this.lasers.filter((l) => l.expiresAt > this.now);
    for (const laser of this.lasers) this.move(laser, dt);
    this.enemyFire(dt, events);
    this.collide(events);
    return events;
  }

  private fly(input: PilotInput, dt: number, events: PilotEvent[]): void {
    const t = this.tuning;
    const ship = this.xwing;
    ship.angle = normaliseAngle(ship.angle + input.turn * t.turnRate * dt);
    if (input.thrust) {
      ship.vx += Math.cos(ship.angle) * t.thrust * dt;
      ship.vy += Math.sin(ship.angle) * t.thrust * dt;
    }
    const keep = Math.max(0, 1 - t.drag * dt);
    ship.vx *= keep;
    ship.vy *= keep;
    const speed = Math.hypot(ship.vx, ship.vy);
    if (speed > t.maxSpeed) {
      ship.vx *= t.maxSpeed / speed;
      ship.vy *= t.maxSpeed / speed;
    }
    this.move(ship, dt);
    if (input.fire && this.now >= this.nextShotAt) {
      this.nextShotAt = this.now + t.fireCooldownMs;
      this.lasers.push(this.laser('pilot', ship, ship.angle, t.laserSpeed, t.laserLifeMs, true));
      events.push({ type: 'fired' });
    }
  }

  private enemyFire(dt: number, events: PilotEvent[]): void {
    const t = this.tuning;
    if (this.gameOver || this.enemies.size === 0) return;
    if (this.lasers.filter((l) => l.from === 'enemy').length >= t.maxEnemyLasers) return;
    if (this.random() >= t.enemyFireRate * dt) return;
    const shooter = this.pickShooter();
    const aim = Math.atan2(this.xwing.y - shooter.y, this.xwing.x - shooter.x);
    const spread = (this.random() * 2 - 1) * t.enemySpread;
    this.lasers.push(
      this.laser('enemy', shooter, aim + spread, t.enemyLaserSpeed, t.enemyLaserLifeMs, false),
    );
    events.push({ type: 'enemyFired', id: shooter.id });
  }

  /** Destroyers weigh more than TIEs; one random draw, one pass over the field. */
  private pickShooter(): Enemy {
    let total = 0;
    for (const e of this.enemies.values()) total += this.weight(e);
    let pick = this.random() * total;
    let last: Enemy | undefined;
    for (const e of this.enemies.values()) {
      last = e;
      pick -= this.weight(e);
      if (pick < 0) return e;
    }
    return last!;
  }

  private weight(e: Enemy): number {
    return e.kind === 'destroyer' ? this.tuning.destroyerFireWeight : 1;
  }

  private collide(events: PilotEvent[]): void {
    const kept: Laser[] = [];
    for (const laser of this.lasers) {
      if (laser.from === 'pilot' ? this.pilotLaserHits(laser, events) : this.enemyLaserHits(laser, events))
        continue;
      kept.push(laser);
    }
    this.lasers = kept;
    if (this.gameOver || this.invulnerable) return;
    for (const enemy of this.enemies.values()) {
      if (touching(enemy, this.xwing)) {
        this.hitPilot(events);
        return;
      }
    }
  }

  /** A pilot laser stops at the first ship it touches. */
  private pilotLaserHits(laser: Laser, events: PilotEvent[]): boolean {
    for (const enemy of this.enemies.values()) {
      if (!touching(enemy, laser)) continue;
      if (enemy.kind === 'destroyer') {
        const hits = (this.capitalHits.get(enemy.id) ?? 0) + 1;
        this.capitalHits.set(enemy.id, hits);
        this.score += this.tuning.capitalHitScore;
        events.push({ type: 'capitalHit', controllerUid: enemy.id, hits, x: laser.x, y: laser.y });
      } else if (!this.awaiting.has(enemy.id) && !this.killed.includes(enemy.id)) {
        // One request per TIE until the server rules, and none once it ruled a kill (the TIE flies on until its
        // deletion reaches the feed): more lasers on it are absorbed without asking again.
        this.expectVerdict(enemy.id);
        events.push({ type: 'tieHit', uid: enemy.id, x: enemy.x, y: enemy.y });
      }
      return true;
    }
    return false;
  }

  private enemyLaserHits(laser: Laser, events: PilotEvent[]): boolean {
    if (this.gameOver || !touching(laser, this.xwing)) return false;
    if (!this.invulnerable) this.hitPilot(events);
    return true;
  }

  private hitPilot(events: PilotEvent[]): void {
    this.lives -= 1;
    events.push({ type: 'pilotHit', livesLeft: this.lives, x: this.xwing.x, y: this.xwing.y });
    if (this.gameOver) {
      events.push({ type: 'gameOver', score: this.score });
      return;
    }
    this.respawn();
  }

  private respawn(): void {
    Object.assign(this.xwing, {
      x: this.bounds.width / 2,
      y: this.bounds.height / 2,
      vx: 0,
      vy: 0,
      angle: -Math.PI / 2,
    });
    this.invulnerableUntil = this.now + this.tuning.respawnShieldMs;
  }

  private laser(
    from: Laser['from'],
    shooter: Body,
    angle: number,
    speed: number,
    lifeMs: number,
    inherit: boolean,
  ): Laser {
    return {
      from,
      x: shooter.x + Math.cos(angle) * shooter.radius,
      y: shooter.y + Math.sin(angle) * shooter.radius,
      vx: Math.cos(angle) * speed + (inherit ? shooter.vx : 0),
      vy: Math.sin(angle) * speed + (inherit ? shooter.vy : 0),
      angle,
      radius: 2,
      expiresAt: this.now + lifeMs,
    };
  }

  private move(body: Body, dt: number): void {
    body.x += body.vx * dt;
    body.y += body.vy * dt;
    this.wrap(body);
  }

  private wrap(body: Body): void {
    body.x = wrapCoordinate(body.x, this.bounds.width);
    body.y = wrapCoordinate(body.y, this.bounds.height);
  }

  /** A random point at least the safe distance from the X-Wing (or the best of a few tries on a tiny field). */
  private clearSpot(): { x: number; y: number } {
    let best = { x: 0, y: 0 };
    let bestDistance = -1;
    for (let i = 0; i < 8; i++) {
      const spot = { x: this.random() * this.bounds.width, y: this.random() * this.bounds.height };
      const distance = Math.hypot(spot.x - this.xwing.x, spot.y - this.xwing.y);
      if (distance >= this.tuning.safeSpawnDistance) return spot;
      if (distance > bestDistance) [best, bestDistance] = [spot, distance];
    }
    return best;
  }
}

/** Leaving one edge brings a body back at the opposite edge. */
export function wrapCoordinate(v: number, size: number): number {
  if (size <= 0) return 0;
  return ((v % size) + size) % size;
}

export function normaliseAngle(a: number): number {
  const turn = Math.PI * 2;
  return ((((a + Math.PI) % turn) + turn) % turn) - Math.PI;
}

function touching(a: Body, b: Body): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) <= a.radius + b.radius;
}
