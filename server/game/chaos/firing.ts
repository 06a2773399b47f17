// Firing: auto, manual and capital ship shots through a ShotClient, after the safety checks (hard stop, kill budget,
// protected namespaces, the game selector at the moment of deletion). Knows no cluster, round or screen: every shot
// it fires or refuses goes to `record`, which scores and announces it.
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../log.ts';
import type { ChaosSettings, Ship, ShotEvent } from '../protocol.ts';
import type { LabelSelector } from '../state/selector.ts';
import { fleetOf } from '../state/ship.ts';
import { controllerLabel, destroyCapitalShip, findCapitalShip } from './capital.ts';
import { BUDGET_REASON, chooseTarget, nextDelayMs, ShotBudget } from './choice.ts';
import { statusCode } from '../../errors.ts';
import { fireShot, HARD_STOP_REASON, messageOf, type ShotClient, type ShotResult } from './shot.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

export type ShotSource = 'auto' | 'manual';

/** A shot as firing saw it, before the game scores it. */
export interface FiredShot {
  target: Pick<Ship, 'uid' | 'name' | 'namespace' | 'fleet'>;
  result: ShotResult;
  source: ShotSource;
  /** The ship flew when it was aimed at (a hit on a flying ship starts a recovery). */
  flyingAtAim: boolean;
}

export interface SafetyRules {
  selector: LabelSelector;
  selectorText: string;
  isProtected(namespace: string): boolean;
}

export interface FiringOptions {
  client: ShotClient;
  safety: SafetyRules;
  clock: Clock;
  settings(): ChaosSettings;
  /** Scores and announces a shot; returns the event as recorded. */
  record(shot: FiredShot): ShotEvent;
  log?: Logger;
}

export class Firing {
  private readonly budget = new ShotBudget();
  /** Manual hits per capital ship, by its top controller's uid (a Deployment outlives its ReplicaSets). */
  private readonly capitalHits = new Map<string, number>();

  constructor(private readonly options: FiringOptions) {}

  /** `seen`: the ship's pod as the game's watch last delivered it, which spares a read when still current. */
  async fire(ship: Ship, source: ShotSource, seen?: V1Pod): Promise<ShotEvent> {
    const chaos = this.options.settings();
    const refuse = (reason: string) =>
      this.options.record({
        target: ship,
        result: { outcome: 'refused', reason },
        source,
        flyingAtAim: false,
      });
    if (chaos.halted) return refuse(HARD_STOP_REASON);
    if (!this.budget.take(chaos.budgetPerMinute, this.options.clock.now())) return refuse(BUDGET_REASON);
    const flyingAtAim = ship.state === 'flying';
    const result = await fireShot(
      this.options.client,
      ship,
      { ...this.options.safety, chaos: this.options.settings },
      seen,
    );
    const shot = this.options.record({ target: ship, result, source, flyingAtAim });
    if (source === 'manual' && shot.outcome === 'hit' && !shot.dryRun && result.pod) {
      await this.capitalShip(result.pod);
    }
    return shot;
  }

  /** Pilot mode: enough hits on a controller's pods destroy the controller itself, a shot like any other. */
  private async capitalShip(pod: V1Pod): Promise<void> {
    if (!this.options.settings().capitalShips.enabled) return;
    const { client, safety } = this.options;
    const found = await findCapitalShip(client, pod, safety);
    if (!found) return;
    const refuse = (target: { uid: string; name: string }, reason: string) =>
      this.options.record({
        target: { ...target, namespace: pod.metadata?.namespace ?? 'default', fleet: fleetOf(pod) },
        result: { outcome: 'refused', reason },
        source: 'manual',
        flyingAtAim: false,
      });
    if ('refused' in found) {
      refuse(
        { uid: pod.metadata?.uid ?? '', name: pod.metadata?.name ?? '' },
        `no capital ship: ${found.refused}`,
      );
      return;
    }
    const top = found.controllers[0]!;
    const hits = (this.capitalHits.get(top.uid) ?? 0) + 1;
    this.capitalHits.set(top.uid, hits);
    const settings = this.options.settings();
    if (hits < settings.capitalShips.hitsToDestroy) return;
    this.capitalHits.delete(top.uid);
    const target = { uid: top.uid, name: controllerLabel(top) };
    const survived = (why: string) => refuse(target, `capital ship ${controllerLabel(top)} survived: ${why}`);
    if (settings.halted) return void survived(HARD_STOP_REASON);
    if (settings.dryRun) return;
    if (!this.budget.take(settings.budgetPerMinute, this.options.clock.now()))
      return void survived(BUDGET_REASON);
    try {
      // A Deployment's pods are made by its ReplicaSet: deleting the Deployment with Orphan would leave that
      // ReplicaSet recreating them, so the ReplicaSet goes too (same policy) and nothing replaces a pod any more.
      await destroyCapitalShip(client, found.controllers, settings.capitalShips.propagationPolicy, safety);
      this.options.log?.info({ controllers: found.controllers }, 'capital ship destroyed');
    } catch (err) {
      const code = statusCode(err);
      survived(
        code === 403
          ? `the game may not delete ${top.kind}s: grant its service account delete on deployments, replicasets, replicationcontrollers and statefulsets, and get on them, to play capital ships`
          : code === 409
            ? 'it kept changing while the game read it'
            : `the cluster refused: ${messageOf(err)}`,
      );
    }
  }
}

export interface AutoFireOptions {
  clock: Clock;
  random: RandomSource;
  settings(): ChaosSettings;
  /** Auto fire only while a round runs. */
  running(): boolean;
  ships(): Iterable<Ship>;
  isProtected(namespace: string): boolean;
  fire(ship: Ship): void;
}

/** The auto-fire scheduler: one timer, armed while auto fire is on, not paused or halted, and a round runs. */
export class AutoFire {
  private timer: unknown;
  private closed = false;

  constructor(private readonly options: AutoFireOptions) {}

  /** Arms or disarms after a change of the settings or the round; an armed timer keeps its delay. */
  update(): void {
    const { clock, settings, random } = this.options;
    const chaos = settings();
    if (!(chaos.auto && !chaos.paused && !chaos.halted && this.options.running() && !this.closed)) {
      this.disarm();
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = clock.setTimeout(
      () => {
        this.timer = undefined;
        const target = chooseTarget(
          this.options.ships(),
          { fair: settings().fair, isProtected: this.options.isProtected },
          random,
        );
        if (target) this.options.fire(target);
        this.update();
      },
      nextDelayMs(chaos, random),
    );
  }

  /** New settings: a new interval or a resumed fire takes effect at once, not after the old delay. */
  restart(): void {
    this.disarm();
    this.update();
  }

  close(): void {
    this.closed = true;
    this.disarm();
  }

  private disarm(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
