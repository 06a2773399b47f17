// v1 Events as components record them: a repeat of the same reason and message on the same object bumps count and
// lastTimestamp instead of adding a line, so `kubectl describe` shows "(x4 over 2m)".
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import type { Clock } from '../../clock.ts';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Container path, e.g. spec.containers{nginx}, as kubelets set it. */
  fieldPath?: string;
}

interface Recorded {
  name: string;
  count: number;
}

/** Events live an hour, as with kube-apiserver's default --event-ttl. */
const EVENT_TTL_MS = 60 * 60 * 1000;

export class EventRecorder {
  /** By involved object uid, then by source+reason+message+fieldPath. */
  private readonly recent = new Map<string, Map<string, Recorded>>();
  private sequence = 0;
  /** Events to expire, oldest first (the TTL is constant, so creation order is expiry order). */
  private readonly expiring: { at: number; namespace: string; name: string }[] = [];
  private expiryTimer: unknown;

  constructor(
    private readonly client: ClusterClient,
    private readonly clock: Clock,
  ) {}

  record(involved: KubeObject, source: EventSource, event: EventSpec): void {
    const namespace = involved.metadata.namespace ?? 'default';
    const uid = involved.metadata.uid ?? '';
    const key = [source.component, event.reason, event.message, event.fieldPath ?? ''].join('\u0000');
    const now = new Date(this.clock.now()).toISOString();
    let ofObject = this.recent.get(uid);
    if (!ofObject) {
      ofObject = new Map();
      this.recent.set(uid, ofObject);
    }
    const seen = ofObject.get(key);
    if (seen) {
      try {
        seen.count += 1;
        this.client.patch(REF.events, namespace, seen.name, 'merge', {
          count: seen.count,
          lastTimestamp: now,
        });
        return;
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        ofObject.delete(key);
      }
    }
    // Event names are the object's name and a unique hex suffix, as client-go's recorder makes them.
    const name = `${involved.metadata.name ?? 'object'}.${(this.clock.now() * 1000 + (this.sequence++ % 1000)).toString(16)}`;
    const eventObject: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid,
        resourceVersion: involved.metadata.resourceVersion,
        ...(event.fieldPath ? { fieldPath: event.fieldPath } : {}),
      },
      reason: event.reason,
      message: event.message,
      type: event.type,
      source: source.host
        ? { component: source.component, host: source.host }
        : { component: source.component },
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
    };
    try {
      this.client.create(REF.events, namespace, eventObject);
      ofObject.set(key, { name, count: 1 });
      this.expireLater(namespace, name);
    } catch (error) {
      // The namespace may be going away with its objects; an event about them is then moot.
      const code = statusCode(error);
      if (code !== 404 && code !== 403 && code !== 409) throw error;
    }
  }

  stop(): void {
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private expireLater(namespace: string, name: string): void {
    this.expiring.push({ at: this.clock.now() + EVENT_TTL_MS, namespace, name });
    if (this.expiryTimer === undefined) this.armExpiry();
  }

  /** One timer, set for the oldest event's expiry. */
  private armExpiry(): void {
    const next = this.expiring[0];
    if (!next) {
      this.expiryTimer = undefined;
      return;
    }
    this.expiryTimer = this.clock.setTimeout(() => {
      const now = this.clock.now();
      while (this.expiring[0] && this.expiring[0].at <= now) {
        const due = this.expiring.shift() as { namespace: string; name: string };
        try {
          this.client.delete(REF.events, due.namespace, due.name);
        } catch (error) {
          if (statusCode(error) !== 404) throw error;
        }
      }
      this.armExpiry();
    }, next.at - this.clock.now());
  }

  /** Forget events of an object that is gone, so the map does not grow with churn. */
  forget(uid: string): void {
    this.recent.delete(uid);
  }
}
