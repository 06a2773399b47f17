// kubectl's typed commands (create <kind>, autoscale, expose, run): 1.35 sends these bodies as protobuf, 1.20 as
// JSON. Each object must come out of the sandbox the same as its twin, made from the same command's
// `--dry-run=client -o json` output through the JSON path.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';
import { envelope } from '../../unit/sandbox/api/protobuf/encode.ts';

type KubeJson = {
  metadata: { name: string; labels?: object; annotations?: object };
  spec?: Record<string, unknown>;
  status?: unknown;
  [key: string]: unknown;
};

type StoredJson = KubeJson & { metadata: { uid: string } };

/** What the command chose, without what the server assigns per object (ids, times, addresses, status). */
function chosen(stored: StoredJson): Record<string, unknown> {
  // A job's selector and pod labels carry its own uid.
  const object = JSON.parse(JSON.stringify(stored).replaceAll(stored.metadata.uid, '<uid>')) as KubeJson;
  const { metadata, status: _status, ...rest } = object;
  const spec = rest.spec && { ...rest.spec };
  if (spec) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.nodeName;
  }
  return {
    ...rest,
    ...(spec ? { spec } : {}),
    metadata: { name: metadata.name, labels: metadata.labels, annotations: metadata.annotations },
  };
}

/** Flags go before `--`: what follows it is the container's command. */
function withFlags(command: string[], flags: string[]): string[] {
  const end = command.indexOf('--');
  return end < 0 ? [...command, ...flags] : [...command.slice(0, end), ...flags, ...command.slice(end)];
}

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-typed-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} typed commands`, () => {
    const ns = `typed-${binary.version.replace('.', '-')}`;
    const twin = `${ns}-twin`;
    const modern = binary.version !== '1.20';
    let kubectl: ReturnType<typeof kubectlFor>;
    const ok = async (args: string[], input?: string) => {
      const result = await kubectl(args, input === undefined ? {} : { input });
      assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    };
    const getJson = async (namespace: string, resource: string) =>
      JSON.parse(await ok(['get', resource, '-n', namespace, '-o', 'json'])) as StoredJson;

    /** Runs a typed command, makes its twin from the dry-run JSON, and returns both stored objects. */
    const createWithTwin = async (command: string[], resource: string) => {
      const dryRun = await ok(withFlags(command, ['-n', twin, '--dry-run=client', '-o', 'json']));
      await ok(['create', '-n', twin, '-f', '-'], dryRun);
      await ok(withFlags(command, ['-n', ns]));
      const [typed, fromJson] = [await getJson(ns, resource), await getJson(twin, resource)];
      assert.deepEqual(chosen(typed), chosen(fromJson));
      return typed;
    };

    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      // -v=8 prints the request headers: proof of which encoding this kubectl really sends.
      const created = await kubectl(['create', 'namespace', ns, '-v=8']);
      assert.equal(created.exitCode, 0, created.stderr);
      assert.match(
        created.stderr,
        modern ? /Content-Type: application\/vnd\.kubernetes\.protobuf/ : /Content-Type: application\/json/,
      );
      await ok(['create', 'namespace', twin]);
    });

    test('create namespace stores an Active namespace', async () => {
      const namespace = JSON.parse(await ok(['get', 'namespace', ns, '-o', 'json'])) as KubeJson;
      assert.equal(namespace.metadata.name, ns);
      assert.deepEqual(namespace.status, { phase: 'Active' });
    });

    test('create configmap --from-literal keeps every literal', async () => {
      const cm = await createWithTwin(
        ['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3'],
        'configmap/settings',
      );
      assert.deepEqual(cm.data, { level: '3', mode: 'fast' });
    });

    test('create secret generic stores the value base64-encoded', async () => {
      const secret = await createWithTwin(
        ['create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2'],
        'secret/creds',
      );
      assert.deepEqual(secret.data, { password: Buffer.from('hunter2').toString('base64') });
      assert.equal(secret.type, 'Opaque');
    });

    test('create deployment --replicas=3 keeps replicas, labels and the image', async () => {
      const deployment = await createWithTwin(
        ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80'],
        'deployment/web',
      );
      const spec = deployment.spec as {
        replicas: number;
        template: {
          metadata: { labels: object };
          spec: { containers: { image: string; ports: object[] }[] };
        };
      };
      assert.equal(spec.replicas, 3);
      assert.deepEqual(deployment.metadata.labels, { app: 'web' });
      assert.deepEqual(spec.template.metadata.labels, { app: 'web' });
      assert.equal(spec.template.spec.containers[0]?.image, 'nginx:1.27');
      assert.deepEqual(spec.template.spec.containers[0]?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    });

    test('create job keeps the command and restartPolicy Never', async () => {
      const job = await createWithTwin(
        ['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'],
        'job/once',
      );
      const pod = (
        job.spec as { template: { spec: { containers: { command: string[] }[]; restartPolicy: string } } }
      ).template.spec;
      assert.deepEqual(pod.containers[0]?.command, ['echo', 'hi']);
      assert.equal(pod.restartPolicy, 'Never');
    });

    test('create cronjob: batch/v1 from 1.35; 1.20 asks for batch/v1beta1, which a 1.35 apiserver no longer serves', async () => {
      const command = [
        'create',
        'cronjob',
        'tick',
        '--image=busybox:1.36',
        '--schedule=*/5 * * * *',
        '--',
        'date',
      ];
      if (!modern) {
        const refused = await kubectl(withFlags(command, ['-n', ns]));
        assert.notEqual(refused.exitCode, 0);
        assert.match(refused.stderr, /the server could not find the requested resource/);
        return;
      }
      const cronjob = await createWithTwin(command, 'cronjob/tick');
      assert.equal(cronjob.apiVersion, 'batch/v1');
      assert.equal((cronjob.spec as { schedule: string }).schedule, '*/5 * * * *');
    });

    test('create serviceaccount', async () => {
      const account = await createWithTwin(['create', 'serviceaccount', 'robot'], 'serviceaccount/robot');
      assert.equal(account.metadata.name, 'robot');
    });

    test('create service clusterip maps port 80 to target port 8080', async () => {
      const service = await createWithTwin(
        ['create', 'service', 'clusterip', 'backend', '--tcp=80:8080'],
        'service/backend',
      );
      const spec = service.spec as { type: string; ports: object[]; selector: object };
      assert.equal(spec.type, 'ClusterIP');
      assert.deepEqual(spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
      assert.deepEqual(spec.selector, { app: 'backend' });
    });

    test('expose deployment selects the deployment’s pods', async () => {
      const service = await createWithTwin(
        ['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--name=web-svc'],
        'service/web-svc',
      );
      const spec = service.spec as { ports: { port: number; targetPort: number }[]; selector: object };
      assert.deepEqual(spec.selector, { app: 'web' });
      assert.equal(spec.ports[0]?.port, 80);
      assert.equal(spec.ports[0]?.targetPort, 8080);
    });

    test('autoscale deployment makes a HorizontalPodAutoscaler for it', async () => {
      const cpu = modern ? '--cpu=80%' : '--cpu-percent=80';
      const hpa = await createWithTwin(
        ['autoscale', 'deployment', 'web', '--min=2', '--max=5', cpu],
        'horizontalpodautoscalers.autoscaling/web',
      );
      const spec = hpa.spec as { minReplicas: number; maxReplicas: number; scaleTargetRef: object };
      assert.equal(spec.minReplicas, 2);
      assert.equal(spec.maxReplicas, 5);
      assert.deepEqual(spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    });

    test('run creates a pod with its labels, env and port', async () => {
      const pod = await createWithTwin(
        ['run', 'solo', '--image=nginx:1.27', '--labels=app=solo,tier=web', '--env=MODE=test', '--port=80'],
        'pod/solo',
      );
      const container = (pod.spec as { containers: { image: string; env: object[]; ports: object[] }[] })
        .containers[0];
      assert.deepEqual(pod.metadata.labels, { app: 'solo', tier: 'web' });
      assert.equal(container?.image, 'nginx:1.27');
      assert.deepEqual(container?.env, [{ name: 'MODE', value: 'test' }]);
      assert.deepEqual(container?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    });

    test('create role and rolebinding keep rules, subjects and the role reference', async () => {
      const role = await createWithTwin(
        ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps'],
        'role.rbac.authorization.k8s.io/reader',
      );
      assert.deepEqual(role.rules, [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      ]);
      const binding = await createWithTwin(
        ['create', 'rolebinding', 'read', '--role=reader', '--user=alice'],
        'rolebinding.rbac.authorization.k8s.io/read',
      );
      assert.deepEqual(binding.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'reader',
      });
    });
  });
}

describe('protobuf bodies over HTTP', () => {
  /** Sends raw bytes, which the shared fetch helper does not; answers status and Status reason. */
  const send = (method: string, path: string, contentType: string, body: Uint8Array) =>
    new Promise<{ status: number; reason: string; message: string; body: KubeJson }>((resolve, reject) => {
      const req = request(
        `${sandbox.url}${path}`,
        {
          method,
          ca: sandbox.caCert,
          // Node frames a DELETE body only with an explicit length.
          headers: {
            Authorization: `Bearer ${sandbox.token}`,
            'Content-Type': contentType,
            'Content-Length': body.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as KubeJson & {
              reason?: string;
              message?: string;
            };
            resolve({
              status: res.statusCode ?? 0,
              reason: reply.reason ?? '',
              message: reply.message ?? '',
              body: reply,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const protobuf = 'application/vnd.kubernetes.protobuf';
  const configmaps = '/api/v1/namespaces/default/configmaps';

  test('a malformed protobuf body is a 400, a kind without a schema and CBOR get 415', async () => {
    const truncated = await send('POST', configmaps, protobuf, envelope('v1', 'ConfigMap', [0x0a, 0x09]));
    assert.equal(truncated.status, 400);
    assert.match(truncated.message, /protobuf parse error/);
    const widget = await send(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      protobuf,
      envelope('example.com/v1', 'Widget', []),
    );
    assert.deepEqual([widget.status, widget.reason], [415, 'UnsupportedMediaType']);
    const cbor = await send('POST', configmaps, 'application/cbor', Uint8Array.from([0xa0]));
    assert.deepEqual([cbor.status, cbor.reason], [415, 'UnsupportedMediaType']);
  });

  test('a delete with protobuf DeleteOptions, as kubectl drain --disable-eviction sends, uses its grace period', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const pod = '{"metadata":{"name":"doomed"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}';
    assert.equal((await send('POST', pods, 'application/json', Buffer.from(pod))).status, 201);
    // An unscheduled pod is removed at once, as on a real cluster; the grace period applies once bound.
    await until(
      'the scheduler to bind doomed',
      async () => (await send('GET', `${pods}/doomed`, 'application/json', Buffer.alloc(0))).body,
      (body) => Boolean((body.spec as { nodeName?: string } | undefined)?.nodeName),
    );
    // Captured from kubectl 1.35: DeleteOptions{gracePeriodSeconds: 7}.
    const options = Buffer.from(
      readFileSync(
        new URL('../../fixtures/protobuf/deleteoptions-drain.hex', import.meta.url),
        'utf8',
      ).trim(),
      'hex',
    );
    const deleted = await send('DELETE', `${pods}/doomed`, protobuf, options);
    assert.equal(deleted.status, 200);
    assert.equal(
      (deleted.body.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds,
      7,
    );
  });
});
