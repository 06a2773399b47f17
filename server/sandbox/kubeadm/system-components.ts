// What kubeadm and the flannel manifest install, so `kubectl -n kube-system get pods -o wide` looks like the Vagrant
// cluster: control-plane static pods (mirror pods owned by the Node), kube-proxy and flannel DaemonSets, CoreDNS.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { statusCode } from '../../errors.ts';
import { CONTROL_PLANE_TAINT, type NodeSpec } from '../controllers/topology.ts';
import { DNS_SERVICE_IP } from '../registry/service-ips.ts';
import { createHash } from 'node:crypto';
import { logger } from '../../log.ts';

const FLANNEL_VERSION = 'v0.27.4';
const ETCD_IMAGE = 'registry.k8s.io/etcd:3.6.5-0';
const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';
const CRITICAL_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' },
];

function createIfMissing(
  client: ClusterClient,
  ref: ResourceRef,
  namespace: string | undefined,
  object: KubeObject,
) {
  try {
    if (client.tryGet(ref, namespace, object.metadata.name ?? '')) return;
    client.create(ref, namespace, object);
  } catch (error) {
    if (statusCode(error) === 409) return;
    // A refusal is logged, not fatal: the sandbox still serves without this add-on.
    logger.warn(
      { err: error, kind: object.kind, name: object.metadata.name },
      'could not install a system component',
    );
  }
}

function staticPod(
  component: string,
  image: string,
  command: string[],
  port: number,
  controlPlane: KubeObject,
  ip: string,
): KubeObject {
  const hash = createHash('sha256')
    .update(`${component}/${image}/${command.join(' ')}`)
    .digest('hex')
    .slice(0, 32);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${controlPlane.metadata.name}`,
      labels: { component, tier: 'control-plane' },
      annotations: {
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.source': 'file',
        ...(component === 'etcd'
          ? { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` }
          : {}),
        ...(component === 'kube-apiserver'
          ? { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` }
          : {}),
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: controlPlane.metadata.name ?? '',
          uid: controlPlane.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: controlPlane.metadata.name,
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [
        {
          name: component,
          image,
          command,
          imagePullPolicy: 'IfNotPresent',
          resources: { requests: { cpu: component === 'kube-apiserver' ? '250m' : '100m' } },
          livenessProbe: {
            httpGet: { host: ip, path: '/livez', port, scheme: 'HTTPS' },
            initialDelaySeconds: 10,
          },
        },
      ],
    },
  };
}

function daemonSet(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  serviceAccountName: string,
  containers: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
          containers,
          ...extra,
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
  };
}

/** Create the add-ons a fresh kubeadm + flannel cluster has; existing ones (a restored sandbox) are left alone. */
export function installSystemComponents(client: ClusterClient, nodes: NodeSpec[], version: string): void {
  const controlPlaneSpec = nodes.find((n) => n.controlPlane);
  const controlPlane = controlPlaneSpec
    ? client.tryGet(REF.nodes, undefined, controlPlaneSpec.name)
    : undefined;
  if (controlPlaneSpec && controlPlane) {
    const ip = controlPlaneSpec.internalIP;
    const pods = [
      staticPod(
        'etcd',
        ETCD_IMAGE,
        [
          'etcd',
          `--advertise-client-urls=https://${ip}:2379`,
          '--data-dir=/var/lib/etcd',
          `--name=${controlPlaneSpec.name}`,
        ],
        2381,
        controlPlane,
        ip,
      ),
      staticPod(
        'kube-apiserver',
        `registry.k8s.io/kube-apiserver:${version}`,
        [
          'kube-apiserver',
          `--advertise-address=${ip}`,
          '--secure-port=6443',
          '--service-cluster-ip-range=10.96.0.0/12',
        ],
        6443,
        controlPlane,
        ip,
      ),
      staticPod(
        'kube-controller-manager',
        `registry.k8s.io/kube-controller-manager:${version}`,
        [
          'kube-controller-manager',
          '--allocate-node-cidrs=true',
          '--cluster-cidr=10.244.0.0/16',
          '--leader-elect=true',
        ],
        10257,
        controlPlane,
        ip,
      ),
      staticPod(
        'kube-scheduler',
        `registry.k8s.io/kube-scheduler:${version}`,
        ['kube-scheduler', '--bind-address=127.0.0.1', '--leader-elect=true'],
        10259,
        controlPlane,
        ip,
      ),
    ];
    for (const pod of pods) createIfMissing(client, REF.pods, 'kube-system', pod);
  }

  for (const [namespace, name] of [
    ['kube-system', 'kube-proxy'],
    ['kube-system', 'coredns'],
  ] as const) {
    createIfMissing(client, REF.serviceaccounts, namespace, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name },
    });
  }
  createIfMissing(
    client,
    REF.daemonsets,
    'kube-system',
    daemonSet('kube-proxy', 'kube-system', { 'k8s-app': 'kube-proxy' }, 'kube-proxy', [
      {
        name: 'kube-proxy',
        image: `registry.k8s.io/kube-proxy:${version}`,
        command: [
          '/usr/local/bin/kube-proxy',
          '--config=/var/lib/kube-proxy/config.conf',
          '--hostname-override=$(NODE_NAME)',
        ],
        securityContext: { privileged: true },
      },
    ]),
  );
  createIfMissing(client, REF.deployments, 'kube-system', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: CRITICAL_TOLERATIONS,
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
            },
          ],
        },
      },
    },
  });
  createIfMissing(client, REF.services, 'kube-system', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: DNS_SERVICE_IP,
      clusterIPs: [DNS_SERVICE_IP],
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });

  // flannel's current manifest: its own namespace, privileged.
  createIfMissing(client, REF.namespaces, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'kube-flannel',
      labels: { 'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged' },
    },
  });
  createIfMissing(client, REF.serviceaccounts, 'kube-flannel', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'flannel' },
  });
  createIfMissing(
    client,
    REF.daemonsets,
    'kube-flannel',
    daemonSet(
      'kube-flannel-ds',
      'kube-flannel',
      { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' },
      'flannel',
      [
        {
          name: 'kube-flannel',
          image: `ghcr.io/flannel-io/flannel:${FLANNEL_VERSION}`,
          command: ['/opt/bin/flanneld'],
          args: ['--ip-masq', '--kube-subnet-mgr', '--iface=enp0s8'],
          resources: { requests: { cpu: '100m', memory: '50Mi' } },
        },
      ],
      {
        initContainers: [
          {
            name: 'install-cni-plugin',
            image: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1',
            command: ['cp'],
            args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
          },
          {
            name: 'install-cni',
            image: `ghcr.io/flannel-io/flannel:${FLANNEL_VERSION}`,
            command: ['cp'],
            args: ['-f', '/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
          },
        ],
      },
    ),
  );
}
