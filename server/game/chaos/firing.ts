// Firing: auto, manual and capital ship shots through a ShotClient, after the safety checks (hard stop, kill budget,
// protected namespaces, the game selector at the moment of deletion). Knows no cluster, round or screen: every shot
// it fires or refuses goes to `record`, which scores and announces it.
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../log.ts';
import type { ChaosSettings, ControllerKind, Ship, ShotEvent } from '../protocol.ts';
import type { LabelSelector } from '../state/selector.ts';
import { controllerOf, fleetOf } from '../state/ship.ts';
import { chooseTarget, nextDelayMs, ShotBudget } from './choice.ts';
import { statusCode } from '../../errors.ts';
import { fireShot, messageOf, type ShotClient, type ShotResult } from './shot.ts';
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

const CAPITAL_KINDS: ControllerKind[] = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'];

export class Firing {
  private readonly budget = new ShotBudget();
  /** Manual hits per controller (a Deployment by namespace/name: its ReplicaSets come and go). */
  private readonly capitalHits = new Map<string, number>();

  constructor(private readonly options: FiringOptions) {}

  async fire(ship: Ship, source: ShotSource): Promise<ShotEvent> {
    const chaos = this.options.settings();
    const refuse = (reason: string) =>
      this.options.record({
        target: ship,
        result: { outcome: 'refused', reason },
        source,
        flyingAtAim: false,
      });
    if (chaos.halted) return refuse('hard stop: firing is halted');
    if (!this.budget.take(chaos.budgetPerMinute, this.options.clock.now())) {
      return refuse('kill budget for this minute used up');
    }
    const flyingAtAim = ship.state === 'flying';
    const result = await fireShot(this.options.client, ship, {
      ...this.options.safety,
      dryRun: chaos.dryRun,
      weapon: chaos.weapon,
      gracePeriodSeconds: chaos.gracePeriodSeconds,
    });
    const shot = this.options.record({ target: ship, result, source, flyingAtAim });
    if (source === 'manual' && shot.outcome === 'hit' && !shot.dryRun && result.pod) {
      await this.capitalShip(result.pod);
    }
    return shot;
  }

  /** Pilot mode: enough hits on a controller's pods destroy the controller itself. */
  private async capitalShip(pod: V1Pod): Promise<void> {
    const settings = this.options.settings().capitalShips;
    if (!settings.enabled) return;
    const controller = controllerOf(pod);
    if (!controller.uid || !controller.name || !CAPITAL_KINDS.includes(controller.kind)) return;
    const namespace = pod.metadata?.namespace ?? 'default';
    const key = controller.kind === 'Deployment' ? `${namespace}/${controller.name}` : controller.uid;
    const hits = (this.capitalHits.get(key) ?? 0) + 1;
    this.capitalHits.set(key, hits);
    if (hits < settings.hitsToDestroy) return;
    this.capitalHits.delete(key);
    // A Deployment's pods are made by its ReplicaSet: deleting the Deployment with Orphan would leave that
    // ReplicaSet recreating them, so the ReplicaSet goes too (same policy) and nothing replaces a pod any more.
    const targets: [string, string][] = [[controller.kind, controller.name]];
    const owner =
      pod.metadata?.ownerReferences?.find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
    if (controller.kind === 'Deployment' && owner?.kind === 'ReplicaSet')
      targets.push(['ReplicaSet', owner.name]);
    try {
      for (const [kind, name] of targets) {
        try {
          await this.options.client.deleteController(kind, namespace, name, settings.propagationPolicy);
        } catch (err) {
          // Already gone (a Background delete of the Deployment takes its ReplicaSet along): nothing to destroy.
          if (statusCode(err) !== 404) throw err;
        }
      }
      this.options.log?.info(
        { kind: controller.kind, namespace, name: controller.name },
        'capital ship destroyed',
      );
    } catch (err) {
      const why =
        statusCode(err) === 403
          ? `the game may not delete ${controller.kind}s: grant its service account delete on deployments, replicasets, replicationcontrollers and statefulsets to play capital ships`
          : `the cluster refused: ${messageOf(err)}`;
      this.options.record({
        target: {
          uid: controller.uid,
          name: `${controller.kind}/${controller.name}`,
          namespace,
          fleet: fleetOf(pod),
        },
        result: {
          outcome: 'refused',
          reason: `capital ship ${controller.kind}/${controller.name} survived: ${why}`,
        },
        source: 'manual',
        flyingAtAim: false,
      });
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
