// The columns `kubectl get` prints for each kind, as a real apiserver's table convertor defines them.
import type { KubeObject } from '../../types.ts';
import type { Column } from './columns.ts';
import {
  ageColumn,
  get,
  list,
  nameColumn,
  num,
  orNone,
  selectorText,
  since,
  templateColumns,
} from './columns.ts';
import { podReady, podRestarts, podStatus } from './pod-status.ts';

function quotaColumn(quota: KubeObject, limits: boolean): string {
  const status = (quota.status ?? {}) as { used?: Record<string, string>; hard?: Record<string, string> };
  return Object.keys(get(quota, 'spec', 'hard') ?? {})
    .sort()
    .filter((resource) => resource.startsWith('limits.') === limits)
    .map((resource) => `${resource}: ${status.used?.[resource] ?? '0'}/${status.hard?.[resource] ?? '0'}`)
    .join(', ');
}

const text = (name: string, read: (o: KubeObject, now: number) => unknown, wide = false): Column => ({
  name,
  wide,
  cell: (o, now) => String(read(o, now) ?? ''),
});
const int = (name: string, ...path: string[]): Column => ({
  name,
  type: 'integer',
  cell: (o) => num(get(o, ...path)),
});

function servicePorts(service: KubeObject): string {
  const ports = list<{ port: number; nodePort?: number; protocol?: string }>(get(service, 'spec', 'ports'));
  return orNone(
    ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(','),
  );
}

function externalIp(service: KubeObject): string {
  const external = list<string>(get(service, 'spec', 'externalIPs'));
  if (get(service, 'spec', 'type') === 'LoadBalancer') {
    const ingress = list<{ ip?: string; hostname?: string }>(
      get(service, 'status', 'loadBalancer', 'ingress'),
    );
    const all = [...ingress.map((i) => i.ip ?? i.hostname ?? ''), ...external].filter(Boolean);
    return all.length ? all.join(',') : '<pending>';
  }
  if (get(service, 'spec', 'type') === 'ExternalName')
    return String(get(service, 'spec', 'externalName') ?? '');
  return orNone(external.join(','));
}

function nodeStatus(node: KubeObject): string {
  const ready = list<{ type: string; status: string }>(get(node, 'status', 'conditions')).find(
    (c) => c.type === 'Ready',
  );
  const status = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  return get(node, 'spec', 'unschedulable') ? `${status},SchedulingDisabled` : status;
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((key) => key.startsWith('node-role.kubernetes.io/'))
    .map((key) => key.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return orNone(roles.sort().join(','));
}

const nodeAddress = (node: KubeObject, type: string) =>
  orNone(
    list<{ type: string; address: string }>(get(node, 'status', 'addresses')).find((a) => a.type === type)
      ?.address ?? '',
  );

function endpointsText(endpoints: KubeObject): string {
  const all: string[] = [];
  for (const subset of list(get(endpoints, 'subsets'))) {
    const ports = list<{ port: number }>(subset.ports);
    for (const address of list<{ ip: string }>(subset.addresses)) {
      for (const port of ports.length ? ports : [undefined])
        all.push(port ? `${address.ip}:${port.port}` : address.ip);
    }
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

function jobStatus(job: KubeObject): string {
  const conditions = list<{ type: string; status: string }>(get(job, 'status', 'conditions'));
  const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (get(job, 'metadata', 'deletionTimestamp')) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

function jobDuration(job: KubeObject, now: number): string {
  const start = get(job, 'status', 'startTime');
  if (typeof start !== 'string') return '';
  const end = get(job, 'status', 'completionTime');
  return since(start, typeof end === 'string' ? Date.parse(end) : now);
}

const eventObject = (event: KubeObject) =>
  `${String(get(event, 'involvedObject', 'kind') ?? '').toLowerCase()}/${String(get(event, 'involvedObject', 'name') ?? '')}`;

const workloadSelector = text('Selector', (o) => selectorText(get(o, 'spec', 'selector')), true);

/**
 * kubectl's HOSTS: rule hosts until three are found, `+ N more...` (N counted over rules) when a rule follows them,
 * `*` when no rule names a host.
 */
function ingressHosts(ingress: KubeObject): string {
  const rules = list<{ host?: string }>(get(ingress, 'spec', 'rules'));
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** kubectl's ADDRESS: the reported IPs (else hostnames), sorted and deduplicated; the apiserver prints it wide. */
function ingressAddress(ingress: KubeObject): string {
  const reported = list<{ ip?: string; hostname?: string }>(
    get(ingress, 'status', 'loadBalancer', 'ingress'),
  );
  return [...new Set(reported.map((each) => each.ip || each.hostname || '').filter(Boolean))]
    .sort()
    .join(',');
}

/** kubectl's PARAMETERS: Kind[.apiGroup]/name of the class's parameters reference. */
function ingressClassParameters(ingressClass: KubeObject): string {
  const parameters = get(ingressClass, 'spec', 'parameters') as
    { kind?: string; apiGroup?: string; name?: string } | undefined;
  if (!parameters) return '<none>';
  return `${parameters.kind ?? ''}${parameters.apiGroup ? `.${parameters.apiGroup}` : ''}/${parameters.name ?? ''}`;
}

/** kubectl's CREATED AT for roles: the creation time in RFC 3339, UTC. */
const createdAtColumn: Column = {
  name: 'Created At',
  type: 'date',
  cell: (o) => String(o.metadata.creationTimestamp ?? ''),
};

/** A binding's subjects of one kind, as kubectl lists them (service accounts as namespace:name). */
function subjects(binding: KubeObject, kind: string): string {
  return list<{ kind?: string; name?: string; namespace?: string }>(binding.subjects)
    .filter((subject) => subject.kind === kind)
    .map((subject) =>
      kind === 'ServiceAccount' ? `${subject.namespace ?? ''}:${subject.name}` : subject.name,
    )
    .join(', ');
}

const bindingColumns: Column[] = [
  nameColumn,
  text('Role', (o) => `${get(o, 'roleRef', 'kind') ?? ''}/${get(o, 'roleRef', 'name') ?? ''}`),
  ageColumn,
  text('Users', (o) => subjects(o, 'User'), true),
  text('Groups', (o) => subjects(o, 'Group'), true),
  text('ServiceAccounts', (o) => subjects(o, 'ServiceAccount'), true),
];

export const tableColumns: Record<string, Column[]> = {
  Pod: [
    nameColumn,
    text('Ready', podReady),
    text('Status', podStatus),
    text('Restarts', (o, now) => podRestarts(o, now)),
    ageColumn,
    text('IP', (o) => orNone(String(get(o, 'status', 'podIP') ?? '')), true),
    text('Node', (o) => orNone(String(get(o, 'spec', 'nodeName') ?? '')), true),
    text('Nominated Node', (o) => orNone(String(get(o, 'status', 'nominatedNodeName') ?? '')), true),
    text(
      'Readiness Gates',
      (o) => orNone(list(get(o, 'spec', 'readinessGates')).length ? 'gates' : ''),
      true,
    ),
  ],
  Deployment: [
    nameColumn,
    text('Ready', (o) => `${num(get(o, 'status', 'readyReplicas'))}/${num(get(o, 'spec', 'replicas'))}`),
    int('Up-to-date', 'status', 'updatedReplicas'),
    int('Available', 'status', 'availableReplicas'),
    ageColumn,
    ...templateColumns('spec', 'template'),
    workloadSelector,
  ],
  ReplicaSet: [
    nameColumn,
    int('Desired', 'spec', 'replicas'),
    int('Current', 'status', 'replicas'),
    int('Ready', 'status', 'readyReplicas'),
    ageColumn,
    ...templateColumns('spec', 'template'),
    workloadSelector,
  ],
  ReplicationController: [
    nameColumn,
    int('Desired', 'spec', 'replicas'),
    int('Current', 'status', 'replicas'),
    int('Ready', 'status', 'readyReplicas'),
    ageColumn,
    ...templateColumns('spec', 'template'),
    workloadSelector,
  ],
  DaemonSet: [
    nameColumn,
    int('Desired', 'status', 'desiredNumberScheduled'),
    int('Current', 'status', 'currentNumberScheduled'),
    int('Ready', 'status', 'numberReady'),
    int('Up-to-date', 'status', 'updatedNumberScheduled'),
    int('Available', 'status', 'numberAvailable'),
    text('Node Selector', (o) =>
      orNone(
        Object.entries(get(o, 'spec', 'template', 'spec', 'nodeSelector') ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      ),
    ),
    ageColumn,
    ...templateColumns('spec', 'template'),
    workloadSelector,
  ],
  StatefulSet: [
    nameColumn,
    text('Ready', (o) => `${num(get(o, 'status', 'readyReplicas'))}/${num(get(o, 'spec', 'replicas'))}`),
    ageColumn,
    ...templateColumns('spec', 'template'),
  ],
  Job: [
    nameColumn,
    text('Status', jobStatus),
    text('Completions', (o) => `${num(get(o, 'status', 'succeeded'))}/${get(o, 'spec', 'completions') ?? 1}`),
    text('Duration', (o, now) => jobDuration(o, now)),
    ageColumn,
    ...templateColumns('spec', 'template'),
    workloadSelector,
  ],
  CronJob: [
    nameColumn,
    text('Schedule', (o) => get(o, 'spec', 'schedule')),
    text('Timezone', (o) => orNone(String(get(o, 'spec', 'timeZone') ?? ''))),
    text('Suspend', (o) => (get(o, 'spec', 'suspend') ? 'True' : 'False')),
    // status.active lists the running Jobs' references: kubectl shows how many.
    { name: 'Active', type: 'integer', cell: (o) => list(get(o, 'status', 'active')).length },
    text('Last Schedule', (o, now) => {
      const last = get(o, 'status', 'lastScheduleTime');
      return last ? since(last, now) : '<none>';
    }),
    ageColumn,
  ],
  Service: [
    nameColumn,
    text('Type', (o) => get(o, 'spec', 'type') ?? 'ClusterIP'),
    text('Cluster-IP', (o) => orNone(String(get(o, 'spec', 'clusterIP') ?? ''))),
    text('External-IP', externalIp),
    text('Port(s)', servicePorts),
    ageColumn,
    text(
      'Selector',
      (o) =>
        orNone(
          Object.entries(get(o, 'spec', 'selector') ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ),
      true,
    ),
  ],
  Endpoints: [nameColumn, text('Endpoints', endpointsText), ageColumn],
  Node: [
    nameColumn,
    text('Status', nodeStatus),
    text('Roles', nodeRoles),
    ageColumn,
    text('Version', (o) => get(o, 'status', 'nodeInfo', 'kubeletVersion')),
    text('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), true),
    text('External-IP', (o) => nodeAddress(o, 'ExternalIP'), true),
    text('OS-Image', (o) => get(o, 'status', 'nodeInfo', 'osImage'), true),
    text('Kernel-Version', (o) => get(o, 'status', 'nodeInfo', 'kernelVersion'), true),
    text('Container-Runtime', (o) => get(o, 'status', 'nodeInfo', 'containerRuntimeVersion'), true),
  ],
  Namespace: [nameColumn, text('Status', (o) => get(o, 'status', 'phase') ?? 'Active'), ageColumn],
  ConfigMap: [
    nameColumn,
    {
      name: 'Data',
      type: 'integer',
      cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
    },
    ageColumn,
  ],
  Secret: [
    nameColumn,
    text('Type', (o) => o.type ?? 'Opaque'),
    {
      name: 'Data',
      type: 'integer',
      cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.stringData ?? {}).length,
    },
    ageColumn,
  ],
  // As the apiserver's printer: `resource: used/hard` for each resource the spec names, limits.* apart.
  ResourceQuota: [
    nameColumn,
    ageColumn,
    text('Request', (o) => quotaColumn(o, false)),
    text('Limit', (o) => quotaColumn(o, true)),
  ],
  LimitRange: [nameColumn, createdAtColumn],
  ServiceAccount: [
    nameColumn,
    { name: 'Secrets', type: 'integer', cell: (o) => list(o.secrets).length },
    ageColumn,
  ],
  Event: [
    text('Last Seen', (o, now) => since(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now)),
    text('Type', (o) => o.type),
    text('Reason', (o) => o.reason),
    text('Object', eventObject),
    text('Subobject', (o) => get(o, 'involvedObject', 'fieldPath') ?? '', true),
    text('Source', (o) => get(o, 'source', 'component') ?? o.reportingComponent ?? '', true),
    text('Message', (o) => o.message),
    text('First Seen', (o, now) => since(o.firstTimestamp ?? o.eventTime, now), true),
    { name: 'Count', type: 'integer', wide: true, cell: (o) => num(o.count) || 1 },
    { ...nameColumn, wide: true },
  ],
  PersistentVolumeClaim: [
    nameColumn,
    text('Status', (o) => get(o, 'status', 'phase') ?? 'Pending'),
    text('Volume', (o) => get(o, 'spec', 'volumeName') ?? ''),
    text('Capacity', (o) => get(o, 'status', 'capacity', 'storage') ?? ''),
    text('Access Modes', (o) =>
      accessModes(get(o, 'status', 'accessModes') ?? get(o, 'spec', 'accessModes')),
    ),
    text('StorageClass', (o) => get(o, 'spec', 'storageClassName') ?? ''),
    text('VolumeAttributesClass', (o) => orNone(String(get(o, 'spec', 'volumeAttributesClassName') ?? ''))),
    ageColumn,
    text('VolumeMode', (o) => get(o, 'spec', 'volumeMode') ?? 'Filesystem', true),
  ],
  PersistentVolume: [
    nameColumn,
    text('Capacity', (o) => get(o, 'spec', 'capacity', 'storage') ?? ''),
    text('Access Modes', (o) => accessModes(get(o, 'spec', 'accessModes'))),
    text('Reclaim Policy', (o) => get(o, 'spec', 'persistentVolumeReclaimPolicy') ?? 'Retain'),
    text('Status', (o) => get(o, 'status', 'phase') ?? 'Available'),
    text('Claim', (o) => {
      const ref = get(o, 'spec', 'claimRef') as { namespace?: string; name?: string } | undefined;
      return ref?.name ? `${ref.namespace}/${ref.name}` : '';
    }),
    text('StorageClass', (o) => get(o, 'spec', 'storageClassName') ?? ''),
    text('VolumeAttributesClass', (o) => orNone(String(get(o, 'spec', 'volumeAttributesClassName') ?? ''))),
    text('Reason', (o) => get(o, 'status', 'reason') ?? ''),
    ageColumn,
  ],
  StorageClass: [
    text(
      'Name',
      (o) =>
        `${o.metadata.name}${o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? ' (default)' : ''}`,
    ),
    text('Provisioner', (o) => o.provisioner),
    text('ReclaimPolicy', (o) => o.reclaimPolicy ?? 'Delete'),
    text('VolumeBindingMode', (o) => o.volumeBindingMode ?? 'Immediate'),
    text('AllowVolumeExpansion', (o) => String(Boolean(o.allowVolumeExpansion))),
    ageColumn,
  ],
  HorizontalPodAutoscaler: [
    nameColumn,
    text(
      'Reference',
      (o) => `${get(o, 'spec', 'scaleTargetRef', 'kind')}/${get(o, 'spec', 'scaleTargetRef', 'name')}`,
    ),
    text('Targets', hpaTargets),
    text('MinPods', (o) => get(o, 'spec', 'minReplicas') ?? 1),
    int('MaxPods', 'spec', 'maxReplicas'),
    int('Replicas', 'status', 'currentReplicas'),
    ageColumn,
  ],
  PodDisruptionBudget: [
    nameColumn,
    text('Min Available', (o) => get(o, 'spec', 'minAvailable') ?? 'N/A'),
    text('Max Unavailable', (o) => get(o, 'spec', 'maxUnavailable') ?? 'N/A'),
    int('Allowed Disruptions', 'status', 'disruptionsAllowed'),
    ageColumn,
  ],
  Lease: [nameColumn, text('Holder', (o) => get(o, 'spec', 'holderIdentity') ?? ''), ageColumn],
  EndpointSlice: [
    nameColumn,
    text('AddressType', (o) => o.addressType),
    text('Ports', (o) =>
      orNone(
        list<{ port?: number }>(o.ports)
          .map((p) => p.port)
          .join(','),
      ),
    ),
    text('Endpoints', (o) =>
      orNone(
        list<{ addresses?: string[] }>(o.endpoints)
          .flatMap((e) => e.addresses ?? [])
          .slice(0, 3)
          .join(','),
      ),
    ),
    ageColumn,
  ],
  Ingress: [
    nameColumn,
    text('Class', (o) => get(o, 'spec', 'ingressClassName') ?? '<none>'),
    text('Hosts', ingressHosts),
    text('Address', ingressAddress),
    text('Ports', (o) => (list(get(o, 'spec', 'tls')).length ? '80, 443' : '80')),
    ageColumn,
  ],
  IngressClass: [
    nameColumn,
    text('Controller', (o) => get(o, 'spec', 'controller') ?? ''),
    text('Parameters', ingressClassParameters),
    ageColumn,
  ],
  Role: [nameColumn, createdAtColumn],
  ClusterRole: [nameColumn, createdAtColumn],
  RoleBinding: bindingColumns,
  ClusterRoleBinding: bindingColumns,
};

function accessModes(modes: unknown): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return list<string>(modes)
    .map((mode) => short[mode] ?? mode)
    .join(',');
}

/**
 * kubectl's TARGETS, read from the stored autoscaling/v2 object whatever version was asked for (the apiserver
 * prints its internal version): `cpu: 50%/80%` for a Resource metric, each current value matched by position.
 */
function hpaTargets(hpa: KubeObject): string {
  const metrics = list(get(hpa, 'spec', 'metrics'));
  const current = list(get(hpa, 'status', 'currentMetrics'));
  const targets = metrics.map((metric, index) => {
    const type = get(metric, 'type');
    const field = type === 'ContainerResource' ? 'containerResource' : String(type ?? '').toLowerCase();
    const target = get(metric, field, 'target');
    const now = get(current[index], field, 'current');
    const shown = (value: unknown) => (value === undefined ? '<unknown>' : String(value));
    if (type === 'Resource' || type === 'ContainerResource') {
      const name = get(metric, field, 'name');
      if (get(target, 'averageValue') !== undefined) {
        return `${name}: ${shown(get(now, 'averageValue'))}/${get(target, 'averageValue')}`;
      }
      const utilization = (value: unknown) => (value === undefined ? undefined : `${value}%`);
      const goal = utilization(get(target, 'averageUtilization')) ?? '<auto>';
      return `${name}: ${shown(utilization(get(now, 'averageUtilization')))}/${goal}`;
    }
    if (type === 'Pods') return `${shown(get(now, 'averageValue'))}/${get(target, 'averageValue')}`;
    if (type === 'Object' || type === 'External') {
      if (get(target, 'averageValue') !== undefined) {
        return `${shown(get(now, 'averageValue'))}/${get(target, 'averageValue')} (avg)`;
      }
      return `${shown(get(now, 'value'))}/${get(target, 'value')}`;
    }
    return '<unknown type>';
  });
  if (targets.length > 2) return `${targets.slice(0, 2).join(', ')} + ${targets.length - 2} more...`;
  return orNone(targets.join(', '));
}

export const defaultColumns: Column[] = [nameColumn, ageColumn];
