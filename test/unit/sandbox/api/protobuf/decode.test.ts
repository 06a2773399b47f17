import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  UnsupportedKindError,
  decodeKubernetesProtobuf,
} from '../../../../../server/sandbox/api/protobuf/decode.ts';
import { topLevelKinds } from '../../../../../server/sandbox/api/protobuf/schema.ts';
import { MalformedProtobufError } from '../../../../../server/sandbox/api/protobuf/wire.ts';
import { bytesField, entry, envelope, varintField } from './encode.ts';

const fixtureDir = new URL('../../../../fixtures/protobuf/', import.meta.url);
/** A request body kubectl 1.35 sent, saved as hex by a loopback recorder. */
const captured = (name: string) =>
  Buffer.from(readFileSync(new URL(`${name}.hex`, fixtureDir), 'utf8').trim(), 'hex');

const meta = (name: string) => ({ name });

// Bodies captured from kubectl 1.35.2 and the objects Go's JSON encoding of the same typed object gives.
const golden: { fixture: string; command: string; expected: Record<string, unknown> }[] = [
  {
    fixture: 'namespace',
    command: 'create namespace foo',
    expected: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('foo') },
  },
  {
    fixture: 'configmap',
    command: 'create configmap cm1 --from-literal=a=b --from-literal=c=d',
    expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm1'), data: { a: 'b', c: 'd' } },
  },
  {
    fixture: 'secret-generic',
    command: 'create secret generic s1 --from-literal=password=x',
    expected: { apiVersion: 'v1', kind: 'Secret', metadata: meta('s1'), data: { password: 'eA==' } },
  },
  {
    fixture: 'secret-docker-registry',
    command:
      'create secret docker-registry reg1 --docker-server=r.io --docker-username=u --docker-password=p',
    expected: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('reg1'),
      data: {
        '.dockerconfigjson': Buffer.from(
          '{"auths":{"r.io":{"username":"u","password":"p","auth":"dTpw"}}}',
        ).toString('base64'),
      },
      type: 'kubernetes.io/dockerconfigjson',
    },
  },
  {
    fixture: 'deployment',
    command: 'create deployment web --image=nginx --replicas=3 --port=80',
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] },
        },
      },
    },
  },
  {
    fixture: 'job',
    command: 'create job j1 --image=busybox -- echo hi',
    expected: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('j1'),
      spec: {
        template: {
          spec: {
            containers: [{ name: 'j1', image: 'busybox', command: ['echo', 'hi'] }],
            restartPolicy: 'Never',
          },
        },
      },
    },
  },
  {
    fixture: 'cronjob',
    command: "create cronjob cj1 --image=busybox --schedule='*/5 * * * *' -- echo hi",
    expected: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('cj1'),
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          metadata: meta('cj1'),
          spec: {
            template: {
              spec: {
                containers: [{ name: 'cj1', image: 'busybox', command: ['echo', 'hi'] }],
                restartPolicy: 'OnFailure',
              },
            },
          },
        },
      },
    },
  },
  {
    fixture: 'serviceaccount',
    command: 'create serviceaccount sa1',
    expected: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('sa1') },
  },
  {
    fixture: 'service-clusterip',
    command: 'create service clusterip svc1 --tcp=80:8080',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc1', labels: { app: 'svc1' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }],
        selector: { app: 'svc1' },
        type: 'ClusterIP',
      },
    },
  },
  {
    fixture: 'service-nodeport',
    command: 'create service nodeport svc2 --tcp=80:8080 --node-port=30080',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc2', labels: { app: 'svc2' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
        selector: { app: 'svc2' },
        type: 'NodePort',
      },
    },
  },
  {
    fixture: 'service-externalname',
    command: 'create service externalname svc3 --external-name=example.com',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc3', labels: { app: 'svc3' } },
      spec: { selector: { app: 'svc3' }, type: 'ExternalName', externalName: 'example.com' },
    },
  },
  {
    fixture: 'service-loadbalancer',
    command: 'create service loadbalancer svc4 --tcp=443:https',
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc4', labels: { app: 'svc4' } },
      spec: {
        ports: [{ name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https' }],
        selector: { app: 'svc4' },
        type: 'LoadBalancer',
      },
    },
  },
  {
    fixture: 'hpa-v2',
    command: 'autoscale deployment web --min=2 --max=5 --cpu=80%',
    expected: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web'),
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      // desiredReplicas has no omitempty: Go's JSON writes its zero, so does the decoder.
      status: { desiredReplicas: 0 },
    },
  },
  {
    fixture: 'hpa-v1',
    command: 'autoscale deployment web --min=2 --max=5 --cpu=80% (its fallback when v2 is refused)',
    expected: {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web'),
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 2,
        maxReplicas: 5,
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    },
  },
  {
    fixture: 'role',
    command: 'create role r1 --verb=get,list --resource=pods,deployments.apps',
    expected: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('r1'),
      rules: [
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
        { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] },
      ],
    },
  },
  {
    fixture: 'rolebinding',
    command: 'create rolebinding rb1 --role=r1 --user=alice --serviceaccount=default:sa1',
    expected: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('rb1'),
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'ServiceAccount', name: 'sa1', namespace: 'default' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' },
    },
  },
  {
    fixture: 'clusterrole',
    command: 'create clusterrole cr1 --verb=get --resource=nodes',
    expected: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('cr1'),
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }],
    },
  },
  {
    fixture: 'clusterrolebinding',
    command: 'create clusterrolebinding crb1 --clusterrole=cr1 --group=devs',
    expected: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('crb1'),
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr1' },
    },
  },
  {
    fixture: 'resourcequota',
    command: 'create quota q1 --hard=pods=10,cpu=2,memory=1Gi',
    expected: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('q1'),
      spec: { hard: { cpu: '2', memory: '1Gi', pods: '10' } },
    },
  },
  {
    fixture: 'ingress',
    command: 'create ingress ing1 --rule=foo.com/bar=svc1:80',
    expected: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('ing1'),
      spec: {
        rules: [
          {
            host: 'foo.com',
            http: {
              paths: [
                {
                  path: '/bar',
                  pathType: 'Exact',
                  backend: { service: { name: 'svc1', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  },
  {
    fixture: 'poddisruptionbudget',
    command: 'create pdb pdb1 --selector=app=x --min-available=1',
    expected: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('pdb1'),
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
  },
  {
    fixture: 'priorityclass',
    command: 'create priorityclass pc1 --value=1000 --description=high',
    expected: {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: meta('pc1'),
      value: 1000,
      description: 'high',
      preemptionPolicy: 'PreemptLowerPriority',
    },
  },
  {
    fixture: 'token-request',
    command: 'create token default (an empty spec: the server picks audiences and lifetime)',
    expected: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' },
  },
  {
    fixture: 'deleteoptions-drain',
    command: 'drain worker-1 --disable-eviction --grace-period=7 (DELETE of each pod)',
    expected: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 7 },
  },
];

describe('decoding request bodies kubectl 1.35 sends as protobuf', () => {
  for (const { fixture, command, expected } of golden) {
    test(`kubectl ${command} decodes to the object Go's JSON gives`, () => {
      assert.deepEqual(decodeKubernetesProtobuf(captured(fixture)), expected);
    });
  }

  test('a job made from a cronjob keeps its annotation and owner reference', () => {
    const job = decodeKubernetesProtobuf(captured('job-from-cronjob'));
    assert.deepEqual(job.metadata, {
      name: 'j2',
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'cj1',
          uid: '05522b98-e01a-45d7-a315-601b4f6ac921',
          controller: true,
        },
      ],
    });
  });

  test('a full pod spec (kubectl debug --copy-to) decodes to the spec of the JSON-created pod it copies', () => {
    // The source pod was created from YAML through the JSON path; kubectl read it and sent a copy as protobuf
    // with one image changed. Go's JSON drops the zeros marked omitempty that the YAML spelled out, and the
    // decoder leaves out the empty resources struct the sandbox stored for the init container.
    const source = JSON.parse(readFileSync(new URL('pod-debug-copy.source.json', fixtureDir), 'utf8')) as {
      spec: {
        initContainers: { resources?: object }[];
        containers: {
          image: string;
          ports: { hostPort?: number }[];
          env: { value?: string }[];
        }[];
        volumes: { persistentVolumeClaim?: { readOnly?: boolean } }[];
      };
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    delete source.spec.initContainers[0]!.resources;
    const app = source.spec.containers[0]!;
    app.image = 'nginx:1.28';
    delete app.ports[1]!.hostPort;
    delete app.env[1]!.value;
    delete source.spec.volumes[3]!.persistentVolumeClaim!.readOnly;
    const copy = decodeKubernetesProtobuf(captured('pod-debug-copy'));
    assert.deepEqual(copy.metadata, {
      name: 'rich-copy',
      namespace: 'default',
      labels: source.labels,
      annotations: source.annotations,
    });
    assert.deepEqual(copy.spec, source.spec);
  });
});

describe('zero values follow Go’s JSON encoding', () => {
  test('pointer fields keep their zero, omitempty scalars and empty structs are left out', () => {
    const raw = [
      ...bytesField(1, [
        ...bytesField(1, 'd'),
        ...bytesField(2, ''),
        ...varintField(7, 0),
        ...bytesField(8, []),
      ]),
      ...bytesField(2, [
        ...varintField(1, 0), // replicas *int32
        ...bytesField(4, []), // strategy: an empty struct
        ...varintField(5, 0), // minReadySeconds, omitempty
        ...varintField(7, 0), // paused, omitempty
        ...bytesField(3, [
          ...bytesField(2, [
            ...bytesField(2, [...bytesField(1, 'c'), ...bytesField(2, ''), ...bytesField(8, [])]),
          ]),
        ]),
      ]),
    ];
    assert.deepEqual(decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw)), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replicas: 0, template: { spec: { containers: [{ name: 'c' }] } } },
    });
  });

  test('scalars without omitempty keep their zero, as Go writes them', () => {
    const raw = bytesField(3, [...varintField(1, 0), ...varintField(2, 0)]);
    assert.deepEqual(decodeKubernetesProtobuf(envelope('apps/v1', 'ReplicaSet', raw)).status, {
      replicas: 0,
    });
  });

  test('an empty emptyDir stays: the pointer is what selects the volume type', () => {
    const volume = [...bytesField(1, 'scratch'), ...bytesField(2, [...bytesField(2, [])])];
    const pod = decodeKubernetesProtobuf(envelope('v1', 'Pod', bytesField(2, bytesField(1, volume))));
    assert.deepEqual(pod.spec, { volumes: [{ name: 'scratch', emptyDir: {} }] });
  });

  test('IntOrString is a number or a string; a zero pointer stays, a zero value goes', () => {
    const port = (target: number[]) =>
      decodeKubernetesProtobuf(
        envelope(
          'v1',
          'Service',
          bytesField(2, bytesField(1, [...varintField(3, 80), ...bytesField(4, target)])),
        ),
      ).spec;
    assert.deepEqual(port([...varintField(1, 1), ...bytesField(3, 'http')]), {
      ports: [{ port: 80, targetPort: 'http' }],
    });
    assert.deepEqual(port([...varintField(2, 8080)]), { ports: [{ port: 80, targetPort: 8080 }] });
    assert.deepEqual(port([...varintField(1, 0), ...varintField(2, 0), ...bytesField(3, '')]), {
      ports: [{ port: 80 }],
    });
    const pdb = decodeKubernetesProtobuf(
      envelope('policy/v1', 'PodDisruptionBudget', bytesField(2, bytesField(1, varintField(2, 0)))),
    );
    assert.deepEqual(pdb.spec, { minAvailable: 0 });
  });
});

describe('well-known types and wire details', () => {
  test('timestamps become RFC 3339 seconds; the empty zero time is left out', () => {
    const ns = (time: number[]) =>
      decodeKubernetesProtobuf(envelope('v1', 'Namespace', bytesField(1, [...bytesField(1, 'n'), ...time])));
    assert.deepEqual(ns(bytesField(8, [...varintField(1, 1_700_000_000), ...varintField(2, 5)])).metadata, {
      name: 'n',
      creationTimestamp: '2023-11-14T22:13:20Z',
    });
    assert.deepEqual(ns(bytesField(9, [])).metadata, { name: 'n' });
  });

  test('quantities, byte maps (base64) and packed or unpacked repeated numbers', () => {
    const container = [
      ...bytesField(1, 'c'),
      ...bytesField(8, [...entry(1, 'cpu', bytesField(1, '500m')), ...entry(2, 'memory', [])]),
    ];
    const securityContext = [...varintField(4, 1), ...bytesField(4, [2, 3])];
    const pod = decodeKubernetesProtobuf(
      envelope('v1', 'Pod', bytesField(2, [...bytesField(2, container), ...bytesField(14, securityContext)])),
    );
    assert.deepEqual(pod.spec, {
      containers: [{ name: 'c', resources: { limits: { cpu: '500m' }, requests: { memory: '0' } } }],
      securityContext: { supplementalGroups: [1, 2, 3] },
    });
    const configMap = decodeKubernetesProtobuf(
      envelope('v1', 'ConfigMap', [...entry(3, 'blob', [0, 1, 255]), ...entry(2, 'empty', '')]),
    );
    assert.deepEqual(configMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { empty: '' },
      binaryData: { blob: 'AAH/' },
    });
  });

  test('a map key named __proto__ stays data', () => {
    const configMap = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', entry(2, '__proto__', 'x')));
    assert.deepEqual(Object.keys(configMap.data as object), ['__proto__']);
    assert.equal(Object.getPrototypeOf(configMap.data), Object.prototype);
    assert.equal(JSON.stringify(configMap.data), '{"__proto__":"x"}');
  });

  test('unknown field numbers are skipped, so newer clients’ fields do not break older tables', () => {
    const raw = bytesField(1, [...bytesField(1, 'n'), ...varintField(99, 7), ...bytesField(98, 'x')]);
    assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'Namespace', raw)).metadata, { name: 'n' });
  });

  test('a field sent with the wrong wire type is a malformed body', () => {
    const raw = bytesField(1, varintField(1, 3));
    assert.throws(
      () => decodeKubernetesProtobuf(envelope('v1', 'Namespace', raw)),
      (error) =>
        error instanceof MalformedProtobufError &&
        /wrong wire type 0 for meta\.v1\.ObjectMeta\.name/.test(error.message),
    );
  });
});

describe('the runtime.Unknown envelope', () => {
  test('every top-level kind of the table decodes, and DeleteOptions in any group', () => {
    for (const [apiVersion, kinds] of Object.entries(topLevelKinds)) {
      for (const kind of kinds)
        assert.deepEqual(decodeKubernetesProtobuf(envelope(apiVersion, kind, [])), { apiVersion, kind });
    }
    assert.deepEqual(decodeKubernetesProtobuf(envelope('apps/v1', 'DeleteOptions', varintField(1, 0))), {
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
    });
  });

  test('kinds without a schema are refused as unsupported, not misread', () => {
    assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'PodSpec', [])), UnsupportedKindError);
    assert.throws(
      () => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', [])),
      /Widget in example\.com\/v1/,
    );
  });

  test('a body without the k8s magic or with an encoded object is refused', () => {
    assert.throws(
      () => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}')),
      /does not appear to be a protobuf message, expected prefix \[107 56 115 0\]/,
    );
    const gzipped = Uint8Array.from([...envelope('v1', 'Namespace', []), ...bytesField(3, 'gzip')]);
    assert.throws(() => decodeKubernetesProtobuf(gzipped), /content encoding gzip/);
    assert.throws(
      () => decodeKubernetesProtobuf(envelope('v1', 'Namespace', [0x0a, 0x05])),
      MalformedProtobufError,
    );
  });
});
