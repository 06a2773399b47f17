// kubectl exec against the sandbox with real kubectl: commands, exit codes, stdin, the shell, DNS and HTTP between
// simulated apps, ConfigMap/Secret files and variables, data on a claim across pods.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { startSandbox } from '../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../support/kubectl.ts';
import { until } from '../support/until.ts';

const manifests = mkdtempSync(join(tmpdir(), 'kubewars-exec-'));
const manifest = (name: string, text: string) => {
  const file = join(manifests, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};

const APP = `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data:
  GREETING: hello from the configmap
  app.properties: |
    color=blue
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData:
  password: s3cret
---
apiVersion: v1
kind: Service
metadata: {name: hello-service}
spec:
  selector: {app: hello}
  ports: [{port: 80, targetPort: 5678}]
---
apiVersion: v1
kind: Pod
metadata: {name: hello, labels: {app: hello}}
spec:
  containers:
    - name: echo
      image: hashicorp/http-echo
      args: ["-text=hello from the backend"]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
    - name: nginx
      image: nginx:1.27
`;

const CLIENT = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
    - name: shell
      image: busybox:1.37
      command: ["sleep", "3600"]
      env:
        - name: GREETING
          valueFrom: {configMapKeyRef: {name: app-config, key: GREETING}}
        - name: MY_POD_IP
          valueFrom: {fieldRef: {fieldPath: status.podIP}}
      volumeMounts:
        - {name: config, mountPath: /etc/config}
        - {name: secret, mountPath: /etc/secret, readOnly: true}
  volumes:
    - name: config
      configMap: {name: app-config}
    - name: secret
      secret: {secretName: app-secret}
`;

const CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;
const claimPod = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
    - name: app
      image: busybox:1.37
      command: ["sleep", "3600"]
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: data}
`;

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-sandbox-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} exec`, () => {
    const ns = `exec-${binary.version.replace('.', '-')}`;
    let kubectl: ReturnType<typeof kubectlFor>;
    const exec = (args: string[], input?: string) =>
      kubectl(['exec', '-n', ns, ...args], input === undefined ? {} : { input });

    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      assert.equal((await kubectl(['create', 'namespace', ns])).exitCode, 0);
      const app = await kubectl(['apply', '-n', ns, '-f', manifest('app', APP)]);
      assert.equal(app.exitCode, 0, app.stderr);
      // The client starts after the Services exist, so it gets their variables.
      await until(
        'hello is ready',
        async () => {
          const out = await kubectl(['get', 'pods', '-n', ns, '--no-headers']);
          return /hello\s+1\/1\s+Running/.test(out.stdout) && /web\s+1\/1\s+Running/.test(out.stdout);
        },
        20_000,
      );
      const client = await kubectl(['apply', '-n', ns, '-f', manifest('client', CLIENT)]);
      assert.equal(client.exitCode, 0, client.stderr);
      await until(
        'client is running',
        async () => {
          const out = await kubectl(['get', 'pod', 'client', '-n', ns, '--no-headers']);
          return /1\/1\s+Running/.test(out.stdout);
        },
        20_000,
      );
    });

    test('runs a command and prints its output', async () => {
      const result = await exec(['client', '--', 'echo', 'hello', 'world']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout, 'hello world');
    });

    test('passes the exit code on', async () => {
      const result = await exec(['client', '--', 'sh', '-c', 'echo failing >&2; exit 3']);
      assert.equal(result.exitCode, 3);
      assert.match(result.stderr, /failing/);
      assert.match(result.stderr, /command terminated with exit code 3/);
    });

    test('an unknown command is "not found" with 127', async () => {
      const result = await exec(['client', '--', 'sh', '-c', 'frobnicate']);
      assert.equal(result.exitCode, 127);
      assert.match(result.stderr, /sh: frobnicate: not found/);
    });

    test('stdin reaches the shell', async () => {
      const result = await exec(['-i', 'client', '--', 'sh'], 'echo one\nhostname\nexit 4\n');
      assert.equal(result.stdout, 'one\nclient');
      assert.equal(result.exitCode, 4);
    });

    test('the environment holds env, ConfigMap keys and Service variables', async () => {
      const result = await exec(['client', '--', 'env']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /^GREETING=hello from the configmap$/m);
      assert.match(result.stdout, /^HELLO_SERVICE_SERVICE_HOST=10\.\d+\.\d+\.\d+$/m);
      assert.match(result.stdout, /^HELLO_SERVICE_SERVICE_PORT=80$/m);
      assert.match(result.stdout, /^KUBERNETES_SERVICE_HOST=/m);
      assert.match(result.stdout, /^MY_POD_IP=10\.244\./m);
    });

    test('ConfigMap and Secret volumes are files', async () => {
      const result = await exec([
        'client',
        '--',
        'sh',
        '-c',
        'ls /etc/config; cat /etc/secret/password; echo; cat /etc/config/app.properties',
      ]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout, 'GREETING\napp.properties\ns3cret\ncolor=blue');
      const write = await exec(['client', '--', 'sh', '-c', 'echo x > /etc/config/new']);
      assert.equal(write.exitCode, 1);
      assert.match(write.stderr, /Read-only file system/);
    });

    test('files written in the container stay for its lifetime', async () => {
      await exec(['client', '--', 'sh', '-c', 'mkdir -p /data/a && echo kept > /data/a/note.txt']);
      const result = await exec(['client', '--', 'cat', '/data/a/note.txt']);
      assert.equal(result.stdout, 'kept');
    });

    test('cluster DNS answers Service names', async () => {
      const result = await exec(['client', '--', 'nslookup', 'hello-service']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Name:\\s+hello-service\\.${ns}\\.svc\\.cluster\\.local`));
      const missing = await exec(['client', '--', 'nslookup', 'nothing-here']);
      assert.equal(missing.exitCode, 1);
      assert.match(missing.stdout, /NXDOMAIN/);
    });

    test('wget reaches the app behind a Service', async () => {
      const echo = await exec(['client', '--', 'wget', '-qO-', 'http://hello-service']);
      assert.equal(echo.exitCode, 0, echo.stderr);
      assert.equal(echo.stdout, 'hello from the backend');
      const nginx = await exec(['client', '--', 'wget', '-qO-', `web.${ns}.svc.cluster.local:8080`]);
      assert.match(nginx.stdout, /Welcome to nginx!/);
      const missing = await exec(['client', '--', 'wget', '-qO-', 'web:8080/nothing']);
      assert.equal(missing.exitCode, 1);
      assert.match(missing.stderr, /404 Not Found/);
      const refused = await exec(['client', '--', 'wget', '-qO-', 'web:9999']);
      assert.match(refused.stderr, /Connection refused/);
    });

    test('run -i --rm runs piped commands in a new pod and deletes it', async () => {
      const name = `run-${binary.version.replace('.', '')}`;
      const run = (input: string) =>
        kubectl(['run', name, '-n', ns, '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh'], {
          input,
          timeoutMs: 60_000,
        });
      const result = await run('wget -qO- hello-service\nhostname\n');
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^hello from the backend\n${name}\n`));
      assert.match(result.stdout, new RegExp(`pod "${name}" deleted`));
      const failed = await run('exit 3\n');
      assert.equal(failed.exitCode, 3, failed.stderr);
    });

    test("a one-shot command's output is its log, and what run -i prints", async () => {
      const name = `once-${binary.version.replace('.', '')}`;
      const run = await kubectl(
        [
          'run',
          name,
          '-n',
          ns,
          '-i',
          '--rm',
          '--restart=Never',
          '--image=busybox',
          '--',
          'sh',
          '-c',
          'echo hi; hostname',
        ],
        { timeoutMs: 60_000 },
      );
      assert.equal(run.exitCode, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^hi\n${name}\n`));
      const kept = `${name}-kept`;
      const started = await kubectl([
        'run',
        kept,
        '-n',
        ns,
        '--image=busybox',
        '--',
        'sh',
        '-c',
        'echo hello; sleep 3600',
      ]);
      assert.equal(started.exitCode, 0, started.stderr);
      await until(
        'its log holds the echo',
        async () => (await kubectl(['logs', kept, '-n', ns])).stdout === 'hello',
        20_000,
      );
    });

    test('data on a claim survives a new pod', async () => {
      const claim = await kubectl(['apply', '-n', ns, '-f', manifest('claim', CLAIM)]);
      assert.equal(claim.exitCode, 0, claim.stderr);
      const running = (name: string) =>
        until(
          `${name} runs`,
          async () => {
            const out = await kubectl(['get', 'pod', name, '-n', ns, '--no-headers']);
            return /1\/1\s+Running/.test(out.stdout);
          },
          20_000,
        );
      assert.equal(
        (await kubectl(['apply', '-n', ns, '-f', manifest('writer', claimPod('writer'))])).exitCode,
        0,
      );
      await running('writer');
      const written = await exec([
        'writer',
        '--',
        'sh',
        '-c',
        'echo survives > /data/note; echo scratch > /tmp/scratch',
      ]);
      assert.equal(written.exitCode, 0, written.stderr);
      assert.equal((await kubectl(['delete', 'pod', 'writer', '-n', ns, '--wait=false'])).exitCode, 0);
      await until(
        'writer is gone',
        async () => (await kubectl(['get', 'pod', 'writer', '-n', ns])).exitCode !== 0,
        30_000,
      );
      assert.equal(
        (await kubectl(['apply', '-n', ns, '-f', manifest('reader', claimPod('reader'))])).exitCode,
        0,
      );
      await running('reader');
      const read = await exec(['reader', '--', 'sh', '-c', 'cat /data/note; ls /tmp']);
      assert.equal(read.stdout, 'survives');
    });

    test('port-forward reaches the app on loopback', async () => {
      const cache = mkdtempSync(join(tmpdir(), 'kubewars-port-forward-'));
      const child = spawn(binary.path, ['port-forward', '-n', ns, 'pod/web', ':80'], {
        env: { KUBECONFIG: sandbox.kubeconfigPath, KUBECACHEDIR: cache, HOME: cache, NO_PROXY: '*' },
      });
      try {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const port = await until(
          'kubectl listens',
          async () => /127\.0\.0\.1:(\d+)/.exec(output)?.[1],
          15_000,
        );
        const page = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Welcome to nginx!/);
        assert.equal((await fetch(`http://127.0.0.1:${port}/missing`)).status, 404);
      } finally {
        child.kill();
      }
    });

    test('cp copies files and folders both ways (tar in the container)', async () => {
      const local = mkdtempSync(join(tmpdir(), 'kubewars-cp-'));
      writeFileSync(join(local, 'note.txt'), 'copied in\n');
      mkdirSync(join(local, 'folder'));
      writeFileSync(join(local, 'folder', 'deep.txt'), 'deep\n');
      const cp = async (from: string, to: string) => {
        const result = await kubectl(['cp', '-n', ns, from, to]);
        assert.equal(result.exitCode, 0, result.stderr);
      };
      await cp(join(local, 'note.txt'), 'client:/tmp/note.txt');
      await cp(join(local, 'folder'), 'client:/tmp/folder');
      const inside = await exec(['client', '--', 'sh', '-c', 'cat /tmp/note.txt /tmp/folder/deep.txt']);
      assert.equal(inside.stdout, 'copied in\ndeep');
      await cp('client:/etc/config/app.properties', join(local, 'back.properties'));
      assert.equal(readFileSync(join(local, 'back.properties'), 'utf8'), 'color=blue\n');
      await cp('client:/tmp/folder', join(local, 'folder-back'));
      assert.equal(readFileSync(join(local, 'folder-back', 'deep.txt'), 'utf8'), 'deep\n');
    });

    test('services/proxy and pods/proxy answer with the app behind them', async () => {
      const raw = (path: string) => kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/${path}`]);
      const service = await raw('services/hello-service/proxy/');
      assert.equal(service.exitCode, 0, service.stderr);
      assert.equal(service.stdout, 'hello from the backend');
      const pod = await raw('pods/web:80/proxy/');
      assert.match(pod.stdout, /Welcome to nginx!/);
      const refused = await raw('pods/web:9999/proxy/');
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, /ServiceUnavailable|connection refused|503/);
    });

    test('etcdctl in the etcd pod lists the keys the objects are stored at', async () => {
      const etcd = await kubectl(['get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o', 'name']);
      const pod = etcd.stdout.trim().replace('pod/', '');
      const keys = await kubectl([
        'exec',
        '-n',
        'kube-system',
        pod,
        '--',
        'sh',
        '-c',
        `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 get /registry/pods/${ns} --prefix --keys-only`,
      ]);
      assert.equal(keys.exitCode, 0, keys.stderr);
      assert.match(keys.stdout, new RegExp(`^/registry/pods/${ns}/client$`, 'm'));
      const elsewhere = await exec(['client', '--', 'etcdctl', 'version']);
      assert.notEqual(elsewhere.exitCode, 0);
    });

    test('etcdctl saves a snapshot that etcdutl reads back', async () => {
      const etcd = await kubectl(['get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o', 'name']);
      const pod = etcd.stdout.trim().replace('pod/', '');
      const inEtcd = (args: string[]) => kubectl(['exec', '-n', 'kube-system', pod, '--', ...args]);
      const file = `/var/lib/etcd/backup-${binary.version}.db`;
      const saved = await inEtcd(['etcdctl', '--endpoints=https://127.0.0.1:2379', 'snapshot', 'save', file]);
      assert.equal(saved.exitCode, 0, saved.stderr);
      assert.equal(saved.stdout, `Snapshot saved at ${file}`);
      const status = await inEtcd(['etcdutl', 'snapshot', 'status', file, '--write-out=table']);
      assert.equal(status.exitCode, 0, status.stderr);
      assert.match(
        status.stdout,
        /\|\s+HASH\s+\|\s+REVISION\s+\|\s+TOTAL KEYS\s+\|\s+TOTAL SIZE\s+\|\s+VERSION\s+\|/,
      );
      const keys = Number(/\|\s*[0-9a-f]{8}\s*\|\s*\d+\s*\|\s*(\d+)\s*\|/.exec(status.stdout)?.[1]);
      assert.ok(keys > 10, status.stdout);
      const missing = await inEtcd(['etcdutl', 'snapshot', 'status', '/var/lib/etcd/none.db']);
      assert.equal(missing.exitCode, 1);
    });

    test('exec -it gives a terminal: prompt, echo and the exit code', async () => {
      // util-linux `script` gives kubectl the terminal it insists on for -t.
      const cache = mkdtempSync(join(tmpdir(), 'kubewars-tty-'));
      const result = await execa(
        'script',
        ['-qec', `${binary.path} exec -it -n ${ns} web -- bash`, '/dev/null'],
        {
          input: 'echo $HOSTNAME\rexit 2\r',
          env: { KUBECONFIG: sandbox.kubeconfigPath, KUBECACHEDIR: cache, HOME: cache, NO_PROXY: '*' },
          reject: false,
          timeout: 30_000,
        },
      );
      assert.match(result.stdout, /root@web:\/# echo \$HOSTNAME\r\nweb\r\nroot@web:\/# exit 2\r\n/);
      assert.match(result.stdout, /command terminated with exit code 2/);
      assert.equal(result.exitCode, 2);
    });

    test('logs -f ends when the followed container stops; --previous shows the run before the restart', async () => {
      const name = `crasher-${binary.version.replace('.', '')}`;
      const run = [
        'run',
        name,
        '-n',
        ns,
        '--image=busybox',
        '--',
        'sh',
        '-c',
        'echo started; sleep 5; exit 1',
      ];
      const created = await kubectl(run);
      assert.equal(created.exitCode, 0, created.stderr);
      // The sandbox's fast speed runs the sleep in a moment: the container is soon restarting.
      await until(
        'the crasher restarted',
        async () => {
          const out = await kubectl(['get', 'pod', name, '-n', ns, '--no-headers']);
          return /CrashLoopBackOff|\s[1-9]\d* \(/.test(out.stdout);
        },
        20_000,
      );
      // A follow ends when the container it follows stops or restarts, as the kubelet's stream does.
      const followed = await kubectl(['logs', '-f', name, '-n', ns], { timeoutMs: 20_000 });
      assert.equal(followed.exitCode, 0, followed.stderr);
      assert.equal(followed.stdout, 'started');
      const previous = await kubectl(['logs', '--previous', name, '-n', ns]);
      assert.equal(previous.stdout, 'started');
    });
  });
}
