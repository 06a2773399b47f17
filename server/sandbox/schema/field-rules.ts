// What the protobuf schema table cannot say about a field: how its list merges in a strategic merge patch and in
// server-side apply, the values it takes, and whether a manifest must give it when the table's rule (a scalar Go
// always writes) gets it wrong. Keyed like the table; the unit test checks every key names a real field, and that
// the merge keys agree with the strategic merge patch the sandbox applies (server/sandbox/patch/merge-keys.ts).

export interface FieldRule {
  /** The list merges item by item, matched on this field (x-kubernetes-patch-merge-key). */
  mergeKey?: string;
  /** A list of scalars merged as a set (patch strategy merge without a key). */
  set?: true;
  /** server-side apply's list type: atomic (replaced whole), set, or map keyed by `mapKeys`. */
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
  enum?: string[];
  /** Overrides the table's rule. */
  required?: boolean;
}

const byName = { mergeKey: 'name', listType: 'map', mapKeys: ['name'] } as const satisfies FieldRule;
const byType = { mergeKey: 'type', listType: 'map', mapKeys: ['type'] } as const satisfies FieldRule;
const protocols = ['SCTP', 'TCP', 'UDP'];

/** The lists of a container, an ephemeral one included (its fields are a container's, embedded). */
const containerRules: Record<string, FieldRule> = {
  env: byName,
  ports: { mergeKey: 'containerPort', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
  volumeMounts: { mergeKey: 'mountPath', listType: 'map', mapKeys: ['mountPath'] },
  volumeDevices: { mergeKey: 'devicePath', listType: 'map', mapKeys: ['devicePath'] },
  // The sandbox's strategic merge patch merges it by resource name (patch/merge-keys.ts); kept in step with it.
  resizePolicy: { mergeKey: 'resourceName', listType: 'map', mapKeys: ['resourceName'] },
  imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
  terminationMessagePolicy: { enum: ['FallbackToLogsOnError', 'File'] },
};

export const fieldRules: Record<string, Record<string, FieldRule>> = {
  'meta.v1.ObjectMeta': {
    finalizers: { set: true, listType: 'set' },
    ownerReferences: { mergeKey: 'uid', listType: 'map', mapKeys: ['uid'] },
  },
  'core.v1.PodSpec': {
    containers: { ...byName, required: true },
    initContainers: byName,
    ephemeralContainers: byName,
    volumes: byName,
    imagePullSecrets: byName,
    hostAliases: { mergeKey: 'ip', listType: 'map', mapKeys: ['ip'] },
    topologySpreadConstraints: {
      mergeKey: 'topologyKey',
      listType: 'map',
      mapKeys: ['topologyKey', 'whenUnsatisfiable'],
    },
    schedulingGates: byName,
    resourceClaims: byName,
    restartPolicy: { enum: ['Always', 'Never', 'OnFailure'] },
    dnsPolicy: { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] },
  },
  'core.v1.Container': containerRules,
  'core.v1.EphemeralContainer': containerRules,
  'core.v1.ContainerPort': { protocol: { enum: protocols } },
  // Go always writes it, but it defaults to the port.
  'core.v1.ServicePort': { protocol: { enum: protocols }, targetPort: { required: false } },
  'core.v1.HTTPGetAction': { scheme: { enum: ['HTTP', 'HTTPS'] } },
  'core.v1.PodStatus': {
    conditions: byType,
    podIPs: { mergeKey: 'ip', listType: 'map', mapKeys: ['ip'] },
    hostIPs: { mergeKey: 'ip', listType: 'map', mapKeys: ['ip'] },
    phase: { enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] },
  },
  'core.v1.ServiceSpec': {
    ports: { mergeKey: 'port', listType: 'map', mapKeys: ['port', 'protocol'] },
    type: { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] },
    sessionAffinity: { enum: ['ClientIP', 'None'] },
  },
  'apps.v1.DeploymentStrategy': { type: { enum: ['Recreate', 'RollingUpdate'] } },
  'apps.v1.DeploymentStatus': { conditions: byType },
  'apps.v1.ReplicaSetStatus': { conditions: byType },
  'apps.v1.StatefulSetStatus': { conditions: byType },
  'apps.v1.DaemonSetStatus': { conditions: byType },
  // Optional since Kubernetes 1.30, though Go always writes it.
  'apps.v1.StatefulSetSpec': {
    serviceName: { required: false },
    podManagementPolicy: { enum: ['OrderedReady', 'Parallel'] },
  },
  'batch.v1.CronJobSpec': { concurrencyPolicy: { enum: ['Allow', 'Forbid', 'Replace'] } },
  'batch.v1.JobSpec': { template: { required: true } },
  // Required, but left to the server, whose refusal says what to write.
  'networking.v1.HTTPIngressPath': { pathType: { enum: ['Exact', 'ImplementationSpecific', 'Prefix'] } },
  'policy.v1.PodDisruptionBudgetStatus': { conditions: byType },
  'core.v1.NamespaceStatus': { conditions: byType },
  'core.v1.PersistentVolumeClaimStatus': { conditions: byType },
  'core.v1.ServiceStatus': { conditions: byType },
  'autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: byType },
  'batch.v1.JobStatus': { conditions: byType },
  // Written by Go even when empty, yet optional: an event from an old client has neither.
  'core.v1.Event': { reportingComponent: { required: false }, reportingInstance: { required: false } },
  'core.v1.NodeSpec': { podCIDRs: { set: true, listType: 'set' }, taints: { listType: 'atomic' } },
  'core.v1.NodeStatus': { conditions: byType, addresses: byType },
  'core.v1.ReplicationControllerStatus': { conditions: byType },
};
