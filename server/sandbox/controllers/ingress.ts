// The sandbox's ingress controller add-on, as a kubeadm cluster gets one (Contour, ingress-nginx …): its default
// IngressClass `kubewars`, and a controller that reports, for each Ingress of a class it implements, the address it
// serves on. It runs on the control-plane node's host network, so that address is the node's InternalIP.
import type { ClusterClient, KubeObject } from '../types.ts';
import { DEFAULT_INGRESS_CLASS_ANNOTATION } from '../registry/defaults.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import { writeStatusIfChanged } from './pod-owner.ts';
import { logger } from '../../log.ts';
import type { Clock } from '../../clock.ts';

export const INGRESS_CONTROLLER = 'kubewars.dev/ingress';
export const INGRESS_CLASS = 'kubewars';

/** The add-on's IngressClass, marked default so the DefaultIngressClass admission gives it to class-less Ingresses. */
export function installIngressClass(client: ClusterClient): void {
  try {
    if (client.tryGet(REF.ingressclasses, undefined, INGRESS_CLASS)) return;
    client.create(REF.ingressclasses, undefined, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        name: INGRESS_CLASS,
        annotations: { [DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' },
        labels: { 'app.kubernetes.io/name': 'kubewars-ingress' },
      },
      spec: { controller: INGRESS_CONTROLLER },
    });
  } catch (error) {
    if (statusCode(error) === 409) return;
    // The sandbox still serves without the add-on: Ingresses then simply get no address.
    logger.warn({ err: error }, 'could not install the ingress class');
  }
}

/** Pure: the status this controller reports for an Ingress, or undefined when the Ingress is not its own. */
export function ingressStatus(
  ingress: KubeObject,
  classes: (name: string) => KubeObject | undefined,
  address: string,
): Record<string, unknown> | undefined {
  const className = (ingress.spec as { ingressClassName?: string } | undefined)?.ingressClassName;
  const ingressClass = className ? classes(className) : undefined;
  if ((ingressClass?.spec as { controller?: string } | undefined)?.controller !== INGRESS_CONTROLLER)
    return undefined;
  return { loadBalancer: { ingress: [{ ip: address }] } };
}

export class IngressController {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly ingresses: Informer,
    private readonly classes: Informer,
    private readonly address: string,
    clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'ingress', (key) => this.reconcile(key));
    ingresses.onChange((type, ingress) => {
      if (type !== 'DELETED') this.queue.enqueue(keyOf(ingress));
    });
    // A class created (or changed) after its Ingresses: they become this controller's to report.
    classes.onChange((_type, ingressClass) => {
      for (const ingress of this.ingresses.objects.values()) {
        if (
          (ingress.spec as { ingressClassName?: string } | undefined)?.ingressClassName ===
          ingressClass.metadata.name
        )
          this.queue.enqueue(keyOf(ingress));
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const ingress = this.ingresses.get(key.slice(0, slash), key.slice(slash + 1));
    if (!ingress) return;
    const status = ingressStatus(ingress, (name) => this.classes.get(undefined, name), this.address);
    if (status) writeStatusIfChanged(this.client, REF.ingresses, ingress, status);
  }
}
