// What the course needs from a cluster beyond plain Kubernetes, as data: each requirement names how to see it in the
// cluster, the lessons that break without it and the fix, so the instructor reads the gaps before the workshop does.

/** The little the preflight reads of an object: client-node's classes and plain JSON both fit. */
export interface ClusterObject {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: object;
  status?: object;
}

/** What the preflight read from the cluster (pure data: the requirements are judged without a network). */
export interface ClusterFacts {
  storageClasses: ClusterObject[];
  ingressClasses: ClusterObject[];
  nodes: ClusterObject[];
  /** The API groups the cluster serves, e.g. metrics.k8s.io for metrics-server. */
  apiGroups: string[];
}

export interface Requirement {
  id: string;
  /** What is missing, said to the instructor. */
  missing: string;
  /** Lesson numbers that fail or mislead without it. */
  lessons: number[];
  /** Whether those lessons are skipped (they cannot pass) or only warned about (they pass, but show less). */
  effect: 'skip' | 'warn';
  fix: string;
  met(facts: ClusterFacts): boolean;
}

const isDefaultClass = (object: ClusterObject, annotation: string) =>
  object.metadata?.annotations?.[annotation] === 'true';

const workers = (facts: ClusterFacts) =>
  facts.nodes.filter((node) => !('node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {})));

/**
 * The Kube Wars sandbox's nodes boot with a `kubewars-` boot id: only there does `kubewars node stop` exist (a real
 * cluster's machines are stopped with its own tools).
 */
export function isKubeWarsSandbox(facts: ClusterFacts): boolean {
  return (
    facts.nodes.length > 0 &&
    facts.nodes.every((node) =>
      String(
        (node.status as { nodeInfo?: { bootID?: string } } | undefined)?.nodeInfo?.bootID ?? '',
      ).startsWith('kubewars-'),
    )
  );
}

export const requirements: Requirement[] = [
  {
    id: 'default-storage-class',
    missing: 'no default StorageClass',
    lessons: [12, 14],
    effect: 'skip',
    fix: '`kubewars cluster up` installs one (local-path-provisioner); on minikube, `minikube addons enable storage-provisioner default-storageclass`',
    met: (facts) =>
      facts.storageClasses.some((sc) => isDefaultClass(sc, 'storageclass.kubernetes.io/is-default-class')),
  },
  {
    id: 'ingress-controller',
    missing: 'no default IngressClass (no ingress controller)',
    lessons: [6],
    effect: 'warn',
    fix: '`kubewars cluster up` installs Contour; on minikube, `minikube addons enable ingress`: without one, the Ingress is accepted but gets no ADDRESS',
    met: (facts) =>
      facts.ingressClasses.some((ic) => isDefaultClass(ic, 'ingressclass.kubernetes.io/is-default-class')),
  },
  {
    id: 'metrics-server',
    missing: 'no metrics-server (metrics.k8s.io)',
    lessons: [8],
    effect: 'warn',
    fix: '`kubewars cluster up` installs it; on minikube, `minikube addons enable metrics-server`: without it, `kubectl top` fails and the HPA shows <unknown>',
    met: (facts) => facts.apiGroups.includes('metrics.k8s.io'),
  },
  {
    id: 'kube-wars-sandbox',
    missing: 'not the Kube Wars sandbox',
    lessons: [16],
    effect: 'warn',
    fix: "lesson 16's `kubewars node stop` needs the sandbox: its block is skipped here (on Vagrant, `vagrant halt worker-1` shows the same by hand)",
    met: isKubeWarsSandbox,
  },
  {
    id: 'a-worker',
    missing: 'no worker node (only nodes with the control-plane role)',
    lessons: [5, 15],
    effect: 'warn',
    fix: 'the lessons fall back to the only node; add a worker for the scheduling lessons to show what they describe',
    met: (facts) => workers(facts).length > 0,
  },
];

/** The requirements the cluster does not meet. */
export function preflight(facts: ClusterFacts): Requirement[] {
  return requirements.filter((r) => !r.met(facts));
}

/** One line per gap: what is missing, which lessons it breaks and how to fix it. */
export function describeGap(gap: Requirement): string {
  const lessons = gap.lessons.map((n) => String(n).padStart(2, '0'));
  const which = `${lessons.length === 1 ? 'lesson' : 'lessons'} ${lessons.join(' and ')}`;
  const consequence = gap.effect === 'skip' ? `${which} skipped` : `${which} affected`;
  return `preflight: ${gap.missing}: ${consequence} — ${gap.fix}.`;
}
