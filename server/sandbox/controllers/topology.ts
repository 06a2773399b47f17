// The simulated nodes: the Vagrant cluster's shape (kubeadm control plane `control-plane`, workers `worker-1`…), or
// whatever names the instructor gives to look like their own cluster (kind's, minikube's…), as pure data.
import type { KubeObject } from '../types.ts';
import { dns1123SubdomainErrors } from '../validation/names.ts';

export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';
const CONTROL_PLANE_IP = [192, 168, 56, 10];

export interface NodeSpec {
  name: string;
  controlPlane: boolean;
  internalIP: string;
  /** 10.244.<index>.0/24, as flannel hands out with kubeadm's default pod CIDR. */
  podCIDR: string;
  cpu: string;
  memoryKi: number;
}

/** The names the Vagrant cluster (and kubeadm's documentation) gives: `control-plane`, then `worker-1`…`worker-N`. */
export function defaultNodeNames(workers: number): string[] {
  return ['control-plane', ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`)];
}

/** Why these node names cannot make a cluster (the first is the control plane), in words for the instructor. */
export function nodeNamesProblems(names: string[]): string[] {
  const problems: string[] = [];
  if (names.length < 2) problems.push('needs a control plane and at least one worker: two names or more');
  for (const name of names) {
    const errors = dns1123SubdomainErrors(name);
    if (errors.length > 0) problems.push(`"${name}" is not a node name: ${errors.join('; ')}`);
  }
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) problems.push(`names a node twice: ${[...new Set(repeated)].join(', ')}`);
  return problems;
}

/**
 * The nodes, the control plane first; IPs and pod CIDRs counted from the control plane's. `names` (control plane
 * first) fixes their names and number; else `workers` workers with the Vagrant cluster's names.
 */
export function clusterTopology(workers = 2, names = defaultNodeNames(workers)): NodeSpec[] {
  const problems = nodeNamesProblems(names);
  if (problems.length > 0) throw new Error(`Sandbox node names ${names.join(',')}: ${problems.join('; ')}.`);
  return names.map((name, index) => ({
    name,
    controlPlane: index === 0,
    internalIP: [...CONTROL_PLANE_IP.slice(0, 3), (CONTROL_PLANE_IP[3] ?? 10) + index].join('.'),
    podCIDR: `10.244.${index}.0/24`,
    cpu: '2',
    memoryKi: 2_030_940,
  }));
}

function conditions(ready: boolean, now: string): Record<string, unknown>[] {
  const pressure = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return [
    {
      type: 'NetworkUnavailable',
      status: 'False',
      lastHeartbeatTime: now,
      lastTransitionTime: now,
      reason: 'FlannelIsUp',
      message: 'Flannel is running on this node',
    },
    pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    readyCondition(ready, now),
  ];
}

/** The Ready condition as a kubelet reports it, or as the node lifecycle controller sets it when one goes silent. */
export function readyCondition(ready: boolean, now: string): Record<string, unknown> {
  return ready
    ? {
        type: 'Ready',
        status: 'True',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
      }
    : {
        type: 'Ready',
        status: 'Unknown',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      };
}

/** A Node object as kubeadm + flannel + containerd leave it. */
export function nodeObject(spec: NodeSpec, kubeletVersion: string, now: string): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
  };
  if (spec.controlPlane) {
    labels[CONTROL_PLANE_TAINT] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const resources = {
    cpu: spec.cpu,
    'ephemeral-storage': '40581564Ki',
    'hugepages-2Mi': '0',
    memory: `${spec.memoryKi}Ki`,
    pods: '110',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels,
      annotations: {
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/public-ip': spec.internalIP,
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: spec.podCIDR,
      podCIDRs: [spec.podCIDR],
      ...(spec.controlPlane ? { taints: [{ key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' }] } : {}),
    },
    status: {
      capacity: resources,
      allocatable: {
        ...resources,
        'ephemeral-storage': '37399849122',
        memory: `${spec.memoryKi - 102_400}Ki`,
      },
      addresses: [
        { type: 'InternalIP', address: spec.internalIP },
        { type: 'Hostname', address: spec.name },
      ],
      conditions: conditions(true, now),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `kubewars-${spec.name}`,
        containerRuntimeVersion: 'containerd://1.7.28',
        kernelVersion: '6.8.0-60-generic',
        kubeProxyVersion: kubeletVersion,
        kubeletVersion,
        machineID: `kubewars${spec.name.replace(/[^a-z0-9]/g, '')}`,
        operatingSystem: 'linux',
        osImage: 'Ubuntu 24.04.2 LTS',
        systemUUID: `kubewars-${spec.name}`,
      },
    },
  };
}
