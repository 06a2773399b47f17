// A stand-in for client-node's informer, for the game's watch and engine tests.
import type { V1Pod } from '@kubernetes/client-node';
import type { PodInformer } from '../../../server/game/watch/pod-watch.ts';

/** Behaves like client-node's informer: start() lists and watches, and after an error it stays stopped. */
export class FakeInformer implements PodInformer {
  starts = 0;
  stops = 0;
  failNextStart = false;
  private readonly callbacks = new Map<string, ((arg: V1Pod & Error) => void)[]>();
  on(verb: string, cb: ((pod: V1Pod) => void) | ((err?: unknown) => void)): void {
    this.callbacks.set(verb, [...(this.callbacks.get(verb) ?? []), cb]);
  }
  emit(verb: 'add' | 'update' | 'delete' | 'error' | 'connect', arg?: V1Pod | Error): void {
    for (const cb of this.callbacks.get(verb) ?? []) cb(arg as V1Pod & Error);
  }
  async start(): Promise<void> {
    this.starts++;
    if (this.failNextStart) {
      this.failNextStart = false;
      this.emit('error', new Error('connect ECONNREFUSED'));
    }
  }
  async stop(): Promise<void> {
    this.stops++;
  }
}
