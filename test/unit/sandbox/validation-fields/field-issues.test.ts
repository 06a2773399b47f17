// Golden cases: a request body and the unknown/duplicate fields the apiserver's strict decoding reports for it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bodyFieldIssues,
  cannotBeHandled,
  duplicateFields,
  issueText,
  jsonTree,
  messageForKind,
  pruneUnknownFields,
} from '../../../../server/sandbox/validation-fields/index.ts';
import { apiVersionOf, resources } from '../../../../server/sandbox/registry/resources.ts';

const texts = (body: string | unknown, apiVersion: string, kind: string) =>
  bodyFieldIssues(body, apiVersion, kind).map(issueText);

/** The Deployment of the apiserver's own field validation test: duplicates and unknowns at every depth. */
const deployment = `{
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "dupename", "name": "web", "labels": {"app": "nginx"}, "unknownMeta": "metaVal"},
  "spec": {
    "unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2", "paused": true, "paused": false,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {
      "metadata": {"labels": {"app": "nginx"}},
      "spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1",
        "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}
    }
  }
}`;

describe('unknown and duplicate fields of a body', () => {
  test('JSON text is reported in document order, a repeated unknown key once and only as unknown', () => {
    assert.deepEqual(texts(deployment, 'apps/v1', 'Deployment'), [
      'duplicate field "metadata.name"',
      'unknown field "metadata.unknownMeta"',
      'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"',
      'duplicate field "spec.paused"',
      'unknown field "spec.template.spec.containers[0].unknownNested"',
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ]);
  });

  test('a decoded body (YAML) is reported in sorted key order, as Go re-encodes it from a map', () => {
    assert.deepEqual(texts(JSON.parse(deployment), 'apps/v1', 'Deployment'), [
      'unknown field "metadata.unknownMeta"',
      'unknown field "spec.template.spec.containers[0].unknownNested"',
      'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"',
    ]);
  });

  test('typos in a pod: a misspelt list and a misspelt field of its second container', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'typo' },
      spec: {
        contianers: [{ name: 'a', image: 'nginx' }],
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'nginx', imagePullPolcy: 'Always' },
        ],
      },
    };
    assert.deepEqual(texts(pod, 'v1', 'Pod'), [
      'unknown field "spec.containers[1].imagePullPolcy"',
      'unknown field "spec.contianers"',
    ]);
    assert.equal(
      cannotBeHandled('v1', 'Pod', bodyFieldIssues(pod, 'v1', 'Pod')),
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: ' +
        'unknown field "spec.containers[1].imagePullPolcy", unknown field "spec.contianers"',
    );
  });

  test('a full, valid pod with probes, volumes, env sources, affinity and status has no issue', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'full',
        namespace: 'default',
        labels: { 'any.label/key': 'v' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'free form': 'x' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true },
        ],
        finalizers: ['x/y'],
        managedFields: [
          {
            manager: 'kubectl',
            operation: 'Apply',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:spec': { 'f:any': {} } },
          },
        ],
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: true } } },
              { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            envFrom: [{ secretRef: { name: 's' } }],
            resources: { requests: { cpu: '10m', 'example.com/gpu': 1 }, limits: { memory: '64Mi' } },
            livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
            readinessProbe: { exec: { command: ['true'] } },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            securityContext: { capabilities: { add: ['NET_ADMIN'] }, runAsUser: 1000 },
          },
        ],
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'a' }] } },
        ],
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: {} } },
            ],
          },
        },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
        nodeSelector: { disk: 'ssd' },
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: null }],
        containerStatuses: [
          {
            name: 'web',
            ready: true,
            restartCount: 0,
            image: 'nginx',
            imageID: '',
            state: { running: { startedAt: 'x' } },
          },
        ],
        podIP: '10.0.0.1',
        podIPs: [{ ip: '10.0.0.1' }],
      },
    };
    assert.deepEqual(texts(pod, 'v1', 'Pod'), []);
  });

  test('fields of a Go-embedded struct sit in the parent object (secretKeyRef.name, probe handlers)', () => {
    const pod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c",
      "env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"s","key":"k","nmae":"x"}}}],
      "startupProbe":{"tcpSocket":{"port":80},"grpc":{"port":9090},"failureThreshold":3}}]}}`;
    assert.deepEqual(texts(pod, 'v1', 'Pod'), [
      'unknown field "spec.containers[0].env[0].valueFrom.secretKeyRef.nmae"',
    ]);
  });

  test('map values are free, but a repeated map key is a duplicate', () => {
    const cm =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1","a":"2"}},"data":{"any key":"v"},"binaryData":{}}';
    assert.deepEqual(texts(cm, 'v1', 'ConfigMap'), ['duplicate field "metadata.labels.a"']);
  });

  test('apiVersion and kind belong to the top level only', () => {
    const deploymentTemplate = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { apiVersion: 'v1', metadata: {}, spec: { containers: [] } } },
    };
    assert.deepEqual(texts(deploymentTemplate, 'apps/v1', 'Deployment'), [
      'unknown field "spec.template.apiVersion"',
    ]);
  });

  test('embedded templates of other groups are checked: a CronJob job template and an HPA v2 metric', () => {
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', imgae: 'x' }] } },
          },
        },
      },
    };
    assert.deepEqual(texts(cronJob, 'batch/v1', 'CronJob'), [
      'unknown field "spec.jobTemplate.spec.template.spec.containers[0].imgae"',
    ]);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
        maxReplicas: 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilisation: 50 } },
          },
        ],
      },
    };
    assert.deepEqual(texts(hpa, 'autoscaling/v2', 'HorizontalPodAutoscaler'), [
      'unknown field "spec.metrics[0].resource.target.averageUtilisation"',
    ]);
  });

  test('a kind without a schema here has its duplicate keys checked but no field is unknown', () => {
    assert.equal(messageForKind('example.com/v1', 'Widget'), undefined);
    const widget =
      '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"n"},"spec":{"anything":{"x":1,"x":2}},"madeUp":[{"a":1,"a":1}]}';
    assert.deepEqual(texts(widget, 'example.com/v1', 'Widget'), [
      'duplicate field "spec.anything.x"',
      'duplicate field "madeUp[0].a"',
    ]);
  });

  test('every kind the sandbox serves has its fields checked', () => {
    const unchecked = resources
      .filter((info) => messageForKind(apiVersionOf(info), info.kind) === undefined)
      .map((info) => `${apiVersionOf(info)} ${info.kind}`);
    assert.deepEqual(unchecked, []);
  });

  test('a pod binding (kubectl never applies one, the scheduler posts it) is checked like any object', () => {
    const binding =
      '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"n","nodeName":"n"}}';
    assert.deepEqual(texts(binding, 'v1', 'Binding'), ['unknown field "target.nodeName"']);
  });

  test('values of the wrong shape are left to the decoder, not reported as fields', () => {
    const pod =
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":{"name":"c"},"volumes":"x","nodeSelector":null}}';
    assert.deepEqual(texts(pod, 'v1', 'Pod'), []);
  });

  test('managedFields fieldsV1 is raw JSON: nothing in it is checked', () => {
    const pod =
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","managedFields":[{"fieldsV1":{"f:a":{},"f:a":{}}}]}}';
    assert.deepEqual(texts(pod, 'v1', 'Pod'), []);
  });

  test('a patch document has its duplicate keys found at any depth, inside lists too', () => {
    const patch =
      '{"spec":{"paused":true,"paused":false,"template":{"spec":{"containers":[{"name":"a","image":"x","image":"y"}]}}}}';
    assert.deepEqual(duplicateFields(jsonTree(patch)).map(issueText), [
      'duplicate field "spec.paused"',
      'duplicate field "spec.template.spec.containers[0].image"',
    ]);
  });

  test('JSON text with escapes, numbers, literals and empty containers is read whole', () => {
    const text = ' { "a\\"b" : [ 1.5e3 , -2, true, false, null, "x\\\\", {}, [] ], "c": {}, "a\\"b": 0 } ';
    assert.deepEqual(duplicateFields(jsonTree(text)).map(issueText), ['duplicate field "a\\"b"']);
  });

  test('pruning drops unknown fields at every depth and keeps maps, free-form values and unknown kinds whole', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { any: 'x' }, typo: 1, managedFields: [{ fieldsV1: { 'f:x': {} } }] },
      spec: {
        replikas: 3,
        template: {
          metadata: { annotations: { 'a/b': 'c' } },
          spec: {
            containers: [
              { name: 'c', image: 'i', imagePullPolcy: 'Always', resources: { limits: { cpu: 1 } } },
            ],
          },
        },
      },
    };
    assert.deepEqual(pruneUnknownFields(deployment, 'apps/v1', 'Deployment'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { any: 'x' }, managedFields: [{ fieldsV1: { 'f:x': {} } }] },
      spec: {
        template: {
          metadata: { annotations: { 'a/b': 'c' } },
          spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 1 } } }] },
        },
      },
    });
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'n' }, madeUp: true };
    assert.equal(pruneUnknownFields(widget, 'example.com/v1', 'Widget'), widget);
  });
});
