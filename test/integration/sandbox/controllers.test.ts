// The simulated cluster through real kubectl 1.20 and 1.35 and @kubernetes/client-node: what a workshop does on a
// kubeadm cluster works the same. Manifests go through `apply -f` (JSON bodies on both kubectl versions).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, type KubectlResult } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Kubectl = ReturnType<typeof kubectlFor>;

function ok(result: KubectlResult): string {
  assert.equal(result.exitCode, 0, `kubectl failed: ${result.stderr}`);
  return result.stdout;
}

interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: number;
  ip: string;
  node: string;
}

/** `kubectl get pods -o wide` parsed by its header, as a person reads it. */
async function pods(kubectl: Kubectl, namespace: string, selector?: string): Promise<PodRow[]> {
  const out = ok(
    await kubectl(['get', 'pods', '-n', namespace, '-o', 'wide', ...(selector ? ['-l', selector] : [])]),
  );
  const lines = out.split('\n').filter(Boolean);
  const header = lines[0] ?? '';
  if (!header.startsWith('NAME')) return [];
  const columns = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE'];
  const cell = (line: string, column: string) => {
    const next = columns[columns.indexOf(column) + 1];
    return line.slice(header.indexOf(column), next ? header.indexOf(next) : undefined).trim();
  };
  return lines.slice(1).map((line) => ({
    name: cell(line, 'NAME'),
    ready: cell(line, 'READY'),
    status: cell(line, 'STATUS'),
    restarts: Number.parseInt(cell(line, 'RESTARTS'), 10),
    ip: cell(line, 'IP'),
    node: cell(line, 'NODE'),
  }));
}

/** `kubectl create namespace` sends protobuf from 1.35 on: a manifest goes as JSON from every version. */
async function createNamespace(kubectl: Kubectl, name: string): Promise<void> {
  const manifest = `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
  ok(await kubectl(['apply', '-f', '-'], { input: manifest }));
}

const allRunning = (rows: PodRow[], count: number) =>
  rows.length === count && rows.every((p) => p.status === 'Running' && p.ready === '1/1');

const deployment = (
  name: string,
  replicas: number,
  image = 'nginx:1.27',
  podSpec = '',
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
${podSpec}`;

const pod = (name: string, container: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {run: ${name}}}
spec:
  containers: [${container}]
${extra}`;

let sandbox: Sandbox;
let workdir: string;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'kubewars-cluster-'));
  sandbox = await startSandbox({ port: 0, kubeconfigOut: join(workdir, 'kubeconfig'), speed: 'fast' });
});

after(async () => {
  await sandbox?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

for (const binary of kubectlBinaries()) {
  describe(`simulated cluster with kubectl ${binary.version}`, () => {
    let kubectl: Kubectl;
    const ns = `kubectl-${binary.version.replace('.', '-')}`;
    const apply = async (manifest: string) =>
      ok(await kubectl(['apply', '-n', ns, '-f', '-'], { input: manifest }));
    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      await createNamespace(kubectl, ns);
    });

    test('the control plane and both workers are Ready, with their lease and kubelet events', async () => {
      const out = ok(await kubectl(['get', 'nodes']));
      assert.match(out, /^control-plane\s+Ready\s+control-plane\s/m);
      assert.match(out, /^worker-1\s+Ready\s+<none>\s/m);
      assert.match(out, /^worker-2\s+Ready\s+<none>\s/m);
      const described = ok(await kubectl(['describe', 'node', 'worker-1']));
      assert.match(described, /HolderIdentity:\s+worker-1/);
      assert.match(described, /Ready\s+True\s.*KubeletReady/);
      assert.match(described, /Normal\s+Starting\s+\S+\s+kubelet\s+Starting kubelet\./);
    });

    test('a deployment of 3 rolls out to 3/3 Running pods with IPs, spread over worker-1 and worker-2', async () => {
      await apply(deployment('web', 3));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'deployment/web', '--timeout=30s']));
      const rows = await until('3 running pods', async () => {
        const found = await pods(kubectl, ns, 'app=web');
        return allRunning(found, 3) && found;
      });
      assert.deepEqual([...new Set(rows.map((p) => p.node))].sort(), ['worker-1', 'worker-2']);
      for (const row of rows) assert.match(row.ip, /^10\.244\.[12]\.\d+$/, row.name);
      assert.match(ok(await kubectl(['get', 'deployment', 'web', '-n', ns])), /web\s+3\/3\s+3\s+3/);
    });

    test('a deleted replica is replaced', async () => {
      const [victim] = await pods(kubectl, ns, 'app=web');
      assert.ok(victim);
      ok(await kubectl(['delete', 'pod', victim.name, '-n', ns]));
      await until('a replacement', async () => {
        const found = await pods(kubectl, ns, 'app=web');
        return allRunning(found, 3) && found.every((p) => p.name !== victim.name);
      });
    });

    test('scales 3 → 5 → 1 → 3', async () => {
      for (const replicas of [5, 1, 3]) {
        ok(await kubectl(['scale', 'deployment/web', '-n', ns, `--replicas=${replicas}`]));
        await until(`${replicas} running`, async () =>
          allRunning(await pods(kubectl, ns, 'app=web'), replicas),
        );
      }
    });

    test('rolls to a new image with set image, then undoes', async () => {
      const image = async (kind: string, name = '') =>
        ok(
          await kubectl([
            'get',
            kind,
            ...(name ? [name] : ['-l', 'app=web']),
            '-n',
            ns,
            '-o',
            name
              ? 'jsonpath={.spec.template.spec.containers[0].image}'
              : 'jsonpath={.items[*].spec.containers[0].image}',
          ]),
        );
      ok(await kubectl(['set', 'image', 'deployment/web', '-n', ns, 'web=nginx:1.28']));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'deployment/web', '--timeout=30s']));
      assert.equal(await image('deployment', 'web'), 'nginx:1.28');
      await until('only 1.28 pods', async () => (await image('pods')) === 'nginx:1.28 nginx:1.28 nginx:1.28');
      assert.match(
        ok(await kubectl(['rollout', 'history', '-n', ns, 'deployment/web'])),
        /\n1\s[\s\S]*\n2\s/,
      );
      ok(await kubectl(['rollout', 'undo', '-n', ns, 'deployment/web']));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'deployment/web', '--timeout=30s']));
      assert.equal(await image('deployment', 'web'), 'nginx:1.27');
      await until('only 1.27 pods', async () => (await image('pods')) === 'nginx:1.27 nginx:1.27 nginx:1.27');
      assert.match(
        ok(await kubectl(['rollout', 'history', '-n', ns, 'deployment/web'])),
        /\n2\s[\s\S]*\n3\s/,
      );
    });

    test('a bare pod stays dead after delete', async () => {
      await apply(pod('solo', '{name: solo, image: nginx}'));
      await until('solo running', async () => allRunning(await pods(kubectl, ns, 'run=solo'), 1));
      ok(await kubectl(['delete', 'pod', 'solo', '-n', ns]));
      const result = await kubectl(['get', 'pod', 'solo', '-n', ns]);
      assert.notEqual(result.exitCode, 0);
      assert.match(result.stderr, /NotFound|not found/);
    });

    test('a ReplicaSet and a ReplicationController replace a deleted pod and scale with kubectl scale', async () => {
      await apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  replicas: 2
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  replicas: 2
  selector: {app: rc}
  template:
    metadata: {labels: {app: rc}}
    spec: {containers: [{name: c, image: nginx}]}
`);
      for (const app of ['rs', 'rc']) {
        const running = async () => {
          const found = await pods(kubectl, ns, `app=${app}`);
          return allRunning(found, 2) && found;
        };
        const [first] = await until(`${app} running`, running);
        ok(await kubectl(['delete', 'pod', first?.name ?? '', '-n', ns]));
        await until(`${app} replaced`, async () => {
          const found = await running();
          return found && !found.some((p) => p.name === first?.name);
        });
      }
      for (const app of ['rs', 'rc']) {
        ok(await kubectl(['scale', `${app}/${app}`, '-n', ns, '--replicas=3']));
        await until(`${app} scaled to 3`, async () => allRunning(await pods(kubectl, ns, `app=${app}`), 3));
        ok(await kubectl(['scale', `${app}/${app}`, '-n', ns, '--replicas=1']));
        await until(`${app} scaled to 1`, async () => allRunning(await pods(kubectl, ns, `app=${app}`), 1));
      }
    });

    test('a Service gets a NodePort in range and endpoints of the ready pods', async () => {
      await apply(`apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`);
      const port = Number(
        ok(await kubectl(['get', 'svc', 'web', '-n', ns, '-o', 'jsonpath={.spec.ports[0].nodePort}'])),
      );
      assert.ok(port >= 30000 && port <= 32767, `nodePort ${port}`);
      const podIPs = (await pods(kubectl, ns, 'app=web')).map((p) => p.ip).sort();
      await until('3 endpoints', async () => {
        const out = ok(
          await kubectl([
            'get',
            'endpoints',
            'web',
            '-n',
            ns,
            '-o',
            'jsonpath={.subsets[0].addresses[*].ip}',
          ]),
        );
        return out.split(' ').sort().join() === podIPs.join();
      });
    });

    test("a ClusterIP Service patched to NodePort gets a node port; taking another Service's is refused", async () => {
      await apply(`apiVersion: v1
kind: Service
metadata: {name: inner}
spec:
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80}]
`);
      const field = async (name: string, path: string) =>
        ok(await kubectl(['get', 'svc', name, '-n', ns, '-o', `jsonpath={${path}}`]));
      const clusterIP = await field('inner', '.spec.clusterIP');
      ok(await kubectl(['patch', 'svc', 'inner', '-n', ns, '-p', '{"spec":{"type":"NodePort"}}']));
      const port = Number(await field('inner', '.spec.ports[0].nodePort'));
      assert.ok(port >= 30000 && port <= 32767, `nodePort ${port}`);
      assert.equal(await field('inner', '.spec.clusterIP'), clusterIP);
      const taken = await field('web', '.spec.ports[0].nodePort');
      const clash = await kubectl([
        'patch',
        'svc',
        'inner',
        '-n',
        ns,
        '--type=json',
        '-p',
        `[{"op":"replace","path":"/spec/ports/0/nodePort","value":${taken}}]`,
      ]);
      assert.notEqual(clash.exitCode, 0);
      assert.match(clash.stderr, new RegExp(`Invalid value: ${taken}: provided port is already allocated`));
      ok(await kubectl(['patch', 'svc', 'inner', '-n', ns, '-p', '{"spec":{"type":"ClusterIP"}}']));
      assert.equal(await field('inner', '.spec.ports[0].nodePort'), '');
    });

    test('a Job runs to completion', async () => {
      await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl, command: [perl, -Mbignum=bpi, -wle, print bpi(100)]}]
`);
      ok(await kubectl(['wait', '--for=condition=complete', 'job/pi', '-n', ns, '--timeout=30s']));
      assert.match(ok(await kubectl(['get', 'job', 'pi', '-n', ns])), /pi\s+(Complete\s+)?1\/1\s/);
      assert.match(ok(await kubectl(['get', 'pods', '-n', ns, '-l', 'job-name=pi'])), /\sCompleted\s/);
    });

    test('logs show what the container prints', async () => {
      await apply(
        pod(
          'talker',
          `{name: talker, image: busybox, command: [sh, -c, 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 1; done']}`,
        ),
      );
      await until('talker running', async () => allRunning(await pods(kubectl, ns, 'run=talker'), 1));
      assert.match(ok(await kubectl(['logs', 'talker', '-n', ns])), /^tick 0$/m);
      const nginx = (await pods(kubectl, ns, 'app=web'))[0]?.name ?? '';
      assert.match(
        ok(await kubectl(['logs', nginx, '-n', ns])),
        /Configuration complete; ready for start up/,
      );
    });

    test('a deployment deleted with --cascade=foreground goes after its pods', async () => {
      ok(
        await kubectl(['delete', 'deployment', 'web', '-n', ns, '--cascade=foreground', '--timeout=20s'], {
          timeoutMs: 30_000,
        }),
      );
      assert.match((await kubectl(['get', 'deployment', 'web', '-n', ns])).stderr, /not found/);
      assert.deepEqual(await pods(kubectl, ns, 'app=web'), []);
      assert.equal(ok(await kubectl(['get', 'rs', '-n', ns, '-l', 'app=web', '-o', 'name'])), '');
    });
  });
}

for (const binary of kubectlBinaries()) {
  describe(`workloads re-created after an orphaning delete and rolled, kubectl ${binary.version}`, () => {
    let kubectl: Kubectl;
    const ns = `orphans-${binary.version.replace('.', '-')}`;
    const apply = async (manifest: string) =>
      ok(await kubectl(['apply', '-n', ns, '-f', '-'], { input: manifest }));
    const names = async (selector: string) => (await pods(kubectl, ns, selector)).map((p) => p.name).sort();
    /** What `field` of each object's ownerReferences holds, as kubectl's jsonpath prints it ('' when none). */
    const owners = async (resource: string, selector: string, field = '') =>
      ok(
        await kubectl([
          'get',
          resource,
          '-n',
          ns,
          '-l',
          selector,
          '-o',
          `jsonpath={.items[*].metadata.ownerReferences${field}}`,
        ]),
      );
    /** Deletes a workload with --cascade=orphan and waits until the `owned` objects it made have no owner. */
    const deleteOrphaning = async (workload: string, owned: string, selector: string) => {
      ok(await kubectl(['delete', workload, '-n', ns, '--cascade=orphan']));
      await until(`the ${owned} of ${workload} orphaned`, async () => (await owners(owned, selector)) === '');
    };
    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      await createNamespace(kubectl, ns);
    });

    test('a Deployment re-applied after --cascade=orphan adopts its ReplicaSet and pods, then scales', async () => {
      await apply(deployment('fleet', 3));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'deployment/fleet', '--timeout=30s']));
      const before = await until('3 fleet pods', async () => {
        const found = await pods(kubectl, ns, 'app=fleet');
        return allRunning(found, 3) && found.map((p) => p.name).sort();
      });
      await deleteOrphaning('deployment/fleet', 'rs', 'app=fleet');
      await apply(deployment('fleet', 3));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'deployment/fleet', '--timeout=30s']));
      assert.match(ok(await kubectl(['get', 'deployment', 'fleet', '-n', ns])), /fleet\s+3\/3\s+3\s+3/);
      assert.deepEqual(await names('app=fleet'), before, 'the orphaned pods are kept, not replaced');
      assert.equal(
        ok(await kubectl(['get', 'rs', '-n', ns, '-l', 'app=fleet', '-o', 'name']))
          .trim()
          .split('\n').length,
        1,
      );
      ok(await kubectl(['scale', 'deployment/fleet', '-n', ns, '--replicas=5']));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'deployment/fleet', '--timeout=30s']));
      await until('5 fleet pods', async () => allRunning(await pods(kubectl, ns, 'app=fleet'), 5));
      assert.match(ok(await kubectl(['get', 'deployment', 'fleet', '-n', ns])), /fleet\s+5\/5\s+5\s+5/);
    });

    test('a StatefulSet re-applied after --cascade=orphan adopts its pods, then scales', async () => {
      const statefulSet = (replicas: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: vault}
spec:
  serviceName: vault
  replicas: ${replicas}
  selector: {matchLabels: {app: vault}}
  template:
    metadata: {labels: {app: vault}}
    spec: {containers: [{name: vault, image: redis}]}
`;
      await apply(statefulSet(3));
      ok(await kubectl(['rollout', 'status', '-n', ns, 'statefulset/vault', '--timeout=30s']));
      await deleteOrphaning('statefulset/vault', 'pods', 'app=vault');
      await apply(statefulSet(3));
      await until('vault 3/3 ready', async () =>
        /vault\s+3\/3\s/.test(ok(await kubectl(['get', 'statefulset', 'vault', '-n', ns]))),
      );
      assert.deepEqual(await names('app=vault'), ['vault-0', 'vault-1', 'vault-2']);
      ok(await kubectl(['scale', 'statefulset/vault', '-n', ns, '--replicas=5']));
      await until('vault 5/5 ready', async () =>
        /vault\s+5\/5\s/.test(ok(await kubectl(['get', 'statefulset', 'vault', '-n', ns]))),
      );
      await until('5 vault pods', async () => allRunning(await pods(kubectl, ns, 'app=vault'), 5));
    });

    test('a DaemonSet re-applied after --cascade=orphan adopts its pods and keeps one per worker', async () => {
      const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: beacon}
spec:
  selector: {matchLabels: {app: beacon}}
  template:
    metadata: {labels: {app: beacon}}
    spec: {containers: [{name: beacon, image: nginx}]}
`;
      await apply(daemonSet);
      ok(await kubectl(['rollout', 'status', '-n', ns, 'daemonset/beacon', '--timeout=30s']));
      const before = await until('a beacon on each worker', async () => {
        const found = await pods(kubectl, ns, 'app=beacon');
        return allRunning(found, 2) && found.map((p) => p.name).sort();
      });
      await deleteOrphaning('daemonset/beacon', 'pods', 'app=beacon');
      await apply(daemonSet);
      ok(await kubectl(['rollout', 'status', '-n', ns, 'daemonset/beacon', '--timeout=30s']));
      await until(
        'the same two beacons, owned again',
        async () => (await owners('pods', 'app=beacon', '[0].kind')) === 'DaemonSet DaemonSet',
      );
      assert.deepEqual(await names('app=beacon'), before);
    });

    test('a StatefulSet rolls a new image out to every pod and rollout status completes', async () => {
      ok(await kubectl(['set', 'image', 'statefulset/vault', '-n', ns, 'vault=redis:7.4']));
      ok(
        await kubectl(['rollout', 'status', '-n', ns, 'statefulset/vault', '--timeout=60s'], {
          timeoutMs: 70_000,
        }),
      );
      const images = ok(
        await kubectl([
          'get',
          'pods',
          '-n',
          ns,
          '-l',
          'app=vault',
          '-o',
          'jsonpath={.items[*].spec.containers[0].image}',
        ]),
      );
      assert.deepEqual(images.split(' '), Array(5).fill('redis:7.4'));
      const revisions = ok(
        await kubectl([
          'get',
          'statefulset',
          'vault',
          '-n',
          ns,
          '-o',
          'jsonpath={.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas}',
        ]),
      ).split(' ');
      assert.equal(revisions[0], revisions[1]);
      assert.equal(revisions[2], '5');
    });
  });
}

for (const binary of kubectlBinaries()) {
  describe(`pod lifecycle failures (kubectl ${binary.version})`, () => {
    let kubectl: Kubectl;
    const ns = `failures-${binary.version.replace('.', '-')}`;
    const apply = async (manifest: string) =>
      ok(await kubectl(['apply', '-n', ns, '-f', '-'], { input: manifest }));
    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      await createNamespace(kubectl, ns);
    });

    test('a crashing container shows CrashLoopBackOff with growing restarts', async () => {
      await apply(pod('crash', "{name: crash, image: busybox, command: [sh, -c, 'exit 1']}"));
      await until('CrashLoopBackOff', async () => {
        const [row] = await pods(kubectl, ns, 'run=crash');
        return row && row.status === 'CrashLoopBackOff' && row.restarts >= 2;
      });
    });

    test('a Job whose OnFailure container keeps crashing fails with BackoffLimitExceeded', async () => {
      await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: doomed}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: OnFailure
      containers: [{name: c, image: busybox, command: [sh, -c, 'exit 1']}]
`);
      ok(await kubectl(['wait', '--for=condition=failed', 'job/doomed', '-n', ns, '--timeout=30s']));
      const reason = ok(
        await kubectl([
          'get',
          'job',
          'doomed',
          '-n',
          ns,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Failed")].reason}',
        ]),
      );
      assert.equal(reason, 'BackoffLimitExceeded');
      assert.match(ok(await kubectl(['describe', 'job', 'doomed', '-n', ns])), /BackoffLimitExceeded/);
      await until('its pod removed', async () => (await pods(kubectl, ns, 'job-name=doomed')).length === 0);
    });

    test('a bad image shows ImagePullBackOff', async () => {
      await apply(pod('badimage', '{name: badimage, image: nginx:doesnotexist}'));
      await until(
        'ImagePullBackOff',
        async () => (await pods(kubectl, ns, 'run=badimage'))[0]?.status === 'ImagePullBackOff',
      );
    });

    test('an unschedulable pod stays Pending with FailedScheduling in describe', async () => {
      await apply(pod('huge', '{name: huge, image: nginx, resources: {requests: {cpu: "64"}}}'));
      const described = await until('FailedScheduling', async () => {
        const out = ok(await kubectl(['describe', 'pod', 'huge', '-n', ns]));
        return /FailedScheduling/.test(out) && out;
      });
      assert.match(described, /0\/3 nodes are available: .*Insufficient cpu/);
      assert.equal((await pods(kubectl, ns, 'run=huge'))[0]?.status, 'Pending');
    });
  });
}

for (const binary of kubectlBinaries()) {
  describe(`cluster-wide behaviour (kubectl ${binary.version})`, () => {
    let kubectl: Kubectl;
    const suffix = binary.version.replace('.', '-');
    const workloads = `workloads-${suffix}`;
    const drain = `drain-${suffix}`;
    const apply = async (ns: string, manifest: string) =>
      ok(await kubectl(['apply', '-n', ns, '-f', '-'], { input: manifest }));
    before(() => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
    });

    test('kube-system lists the kubeadm control plane, kube-proxy and CoreDNS, all Running', async () => {
      const rows = await until('system pods running', async () => {
        const found = await pods(kubectl, 'kube-system');
        return found.length >= 9 && found.every((p) => p.status === 'Running') && found;
      });
      const names = rows.map((p) => p.name);
      for (const name of [
        'etcd-control-plane',
        'kube-apiserver-control-plane',
        'kube-controller-manager-control-plane',
        'kube-scheduler-control-plane',
      ]) {
        assert.ok(names.includes(name), name);
      }
      assert.equal(names.filter((n) => n.startsWith('kube-proxy-')).length, 3);
      assert.equal(names.filter((n) => n.startsWith('coredns-')).length, 2);
    });

    test('a DaemonSet has one pod per worker and a StatefulSet comes up in order with bound volumes', async () => {
      await createNamespace(kubectl, workloads);
      // The order as a watch sees it: each replica is created only once the one before it is Ready.
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(sandbox.kubeconfigPath);
      const order: string[] = [];
      const watching = await new k8s.Watch(kc).watch(
        `/api/v1/namespaces/${workloads}/pods`,
        { labelSelector: 'app=db' },
        (type: string, watched: k8s.V1Pod) => {
          const name = watched.metadata?.name ?? '';
          const ready = watched.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
          if (type === 'ADDED') order.push(`created ${name}`);
          else if (ready && !order.includes(`ready ${name}`)) order.push(`ready ${name}`);
        },
        // Ended by abort() below; a watch that broke earlier shows as a short order.
        () => {},
      );
      await apply(
        workloads,
        `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox, command: [sh, -c, 'while true; do echo alive; sleep 5; done']}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: redis}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
      );
      await until('agent on both workers', async () => {
        const found = await pods(kubectl, workloads, 'app=agent');
        return (
          allRunning(found, 2) &&
          found
            .map((p) => p.node)
            .sort()
            .join() === 'worker-1,worker-2'
        );
      });
      ok(await kubectl(['rollout', 'status', 'statefulset/db', '-n', workloads, '--timeout=30s']));
      watching.abort();
      assert.deepEqual(order, [
        'created db-0',
        'ready db-0',
        'created db-1',
        'ready db-1',
        'created db-2',
        'ready db-2',
      ]);
      const claims = ok(await kubectl(['get', 'pvc', '-n', workloads]));
      for (const n of [0, 1, 2]) assert.match(claims, new RegExp(`^data-db-${n}\\s+Bound\\s+pvc-`, 'm'));
      // The volumes bound to this namespace's claims (another kubectl version's run has its own).
      const volumes = ok(
        await kubectl([
          'get',
          'pv',
          '-o',
          'jsonpath={range .items[*]}{.spec.claimRef.namespace}={.status.phase}{"\\n"}{end}',
        ]),
      );
      assert.deepEqual(
        volumes.split('\n').filter((line) => line.startsWith(`${workloads}=`)),
        Array(3).fill(`${workloads}=Bound`),
      );
      assert.match(ok(await kubectl(['logs', '-n', workloads, '-l', 'app=agent', '--tail=1'])), /alive/);
    });

    test('a PodDisruptionBudget stops drain beyond its budget, then draining worker-1 moves its pods to worker-2', async () => {
      await createNamespace(kubectl, drain);
      await apply(
        drain,
        `${deployment('moving', 4)}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: moving}
spec:
  minAvailable: 4
  selector: {matchLabels: {app: moving}}
`,
      );
      await until('4 running', async () => allRunning(await pods(kubectl, drain, 'app=moving'), 4));
      await until('budget observed', async () =>
        /moving\s+4\s+N\/A\s+0\s/.test(ok(await kubectl(['get', 'pdb', 'moving', '-n', drain]))),
      );
      try {
        const blocked = await kubectl(
          ['drain', 'worker-1', '--ignore-daemonsets', '--pod-selector=app=moving', '--timeout=2s'],
          { timeoutMs: 20_000 },
        );
        assert.notEqual(blocked.exitCode, 0);
        assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget/);
        assert.ok(allRunning(await pods(kubectl, drain, 'app=moving'), 4), 'no pod was evicted');

        ok(await kubectl(['delete', 'pdb', 'moving', '-n', drain]));
        // --force: the bare pods earlier tests left on worker-1 go too, as on a real node.
        ok(
          await kubectl(['drain', 'worker-1', '--ignore-daemonsets', '--force', '--timeout=30s'], {
            timeoutMs: 40_000,
          }),
        );
        await until('all on worker-2', async () => {
          const found = await pods(kubectl, drain, 'app=moving');
          return allRunning(found, 4) && found.every((p) => p.node === 'worker-2');
        });
        assert.match(ok(await kubectl(['get', 'node', 'worker-1'])), /Ready,SchedulingDisabled/);
      } finally {
        ok(await kubectl(['uncordon', 'worker-1']));
      }
    });
  });
}

describe('node failures and namespace teardown (kubectl 1.35)', () => {
  let kubectl: Kubectl;
  const apply = async (ns: string, manifest: string) =>
    ok(await kubectl(['apply', '-n', ns, '-f', '-'], { input: manifest }));
  before(() => {
    const binary = kubectlBinaries().find((b) => b.version === '1.35');
    assert.ok(binary);
    kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
  });

  test("a NotReady node's pods are evicted after their toleration and replaced on the other worker", async () => {
    await createNamespace(kubectl, 'outage');
    // A short toleration of the taints the node lifecycle controller sets, as DefaultTolerationSeconds adds 300 s.
    const tolerations = `      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
`;
    await apply('outage', deployment('fleet', 4, 'nginx:1.27', tolerations));
    const placed = await until('4 running', async () => {
      const found = await pods(kubectl, 'outage', 'app=fleet');
      return allRunning(found, 4) && found;
    });
    // Stop the worker holding most of the fleet, so the test sees evictions whatever the placement was.
    const on = (node: string) => placed.filter((p) => p.node === node).map((p) => p.name);
    const [down, up] =
      on('worker-1').length >= on('worker-2').length ? ['worker-1', 'worker-2'] : ['worker-2', 'worker-1'];
    const stranded = on(down);
    assert.ok(stranded.length >= 2, `fleet placed as ${placed.map((p) => p.node).join()}`);
    sandbox.stopNode(down);
    try {
      assert.match(ok(await kubectl(['get', 'node', down])), new RegExp(`${down}\\s+NotReady\\s`));
      await until(`replacements on ${up}, the stranded pods Terminating`, async () => {
        const found = await pods(kubectl, 'outage', 'app=fleet');
        return (
          found.filter((p) => p.node === up && p.status === 'Running').length === 4 &&
          found.filter((p) => stranded.includes(p.name)).every((p) => p.status === 'Terminating')
        );
      });
    } finally {
      sandbox.startNode(down);
    }
    // Back online, the node's kubelet finishes the evicted pods' termination.
    await until('evicted pods gone', async () => {
      const found = await pods(kubectl, 'outage', 'app=fleet');
      return allRunning(found, 4) && found.every((p) => !stranded.includes(p.name));
    });
  });

  test('deleting a namespace removes its pods and every other object in it, then the namespace', async () => {
    await createNamespace(kubectl, 'doomed');
    await apply(
      'doomed',
      `${deployment('gone', 2)}---
apiVersion: apps/v1
kind: ControllerRevision
metadata: {name: gone-1}
revision: 1
data: {}
`,
    );
    await until('2 running', async () => allRunning(await pods(kubectl, 'doomed', 'app=gone'), 2));
    ok(await kubectl(['delete', 'namespace', 'doomed', '--timeout=30s'], { timeoutMs: 40_000 }));
    const namespace = await kubectl(['get', 'namespace', 'doomed']);
    assert.notEqual(namespace.exitCode, 0);
    assert.match(namespace.stderr, /not found/);
    const left = await kubectl(['get', 'pods', '-n', 'doomed']);
    assert.equal(left.stdout, '');
    assert.match(left.stderr, /No resources found in doomed namespace/);
    // Every namespaced kind goes with it, not only the workloads.
    const revisions = await kubectl(['get', 'controllerrevisions', '-n', 'doomed', '-o', 'name']);
    assert.equal(revisions.stdout, '');
  });
});

describe('@kubernetes/client-node', () => {
  test('a deployment created through the API reaches its replicas, seen by a watch', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: 'client-node' } } });
    const running = new Set<string>();
    let request: { abort(): void } | undefined;
    const seen = new Promise<void>((resolve, reject) => {
      new k8s.Watch(kc)
        .watch(
          '/api/v1/namespaces/client-node/pods',
          {},
          (type: string, watched: k8s.V1Pod) => {
            const name = watched.metadata?.name ?? '';
            const ready = watched.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
            if (type !== 'DELETED' && watched.status?.phase === 'Running' && ready && watched.status.podIP) {
              running.add(name);
            } else running.delete(name);
            if (running.size === 2) resolve();
          },
          (error: unknown) => {
            if (error) reject(error instanceof Error ? error : new Error(String(error)));
          },
        )
        .then((handle: { abort(): void }) => {
          request = handle;
        }, reject);
    });
    await apps.createNamespacedDeployment({
      namespace: 'client-node',
      body: {
        metadata: { name: 'api' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        seen,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the watch never saw 2 running pods')), 20_000);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      request?.abort();
    }
    await until('2 available replicas', async () => {
      const current = await apps.readNamespacedDeployment({ namespace: 'client-node', name: 'api' });
      return current.status?.availableReplicas === 2;
    });
  });
});
