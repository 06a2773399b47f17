// Exec from the client libraries: client-node's Exec (WebSocket v5) with and without a tty, and python3-kubernetes'
// stream (WebSocket v4, stdin as text frames).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { execa } from 'execa';
import { startSandbox } from '../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../server/sandbox/index.ts';
import { textCollector } from '../../server/text-collector.ts';
import { until } from '../support/until.ts';

const debianPython = '/usr/bin/python3';
const pods = { group: '', resource: 'pods' };

let sandbox: RunningSandbox;
let kubeConfig: KubeConfig;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-exec-clients-')), 'config'),
    speed: 'fast',
  });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  sandbox.client.create(pods, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'box', namespace: 'default' },
    spec: { containers: [{ name: 'box', image: 'busybox:1.37', command: ['sleep', '3600'] }] },
  });
  await until(
    'box runs',
    async () => {
      const pod = sandbox.client.get(pods, 'default', 'box');
      return (pod.status as { phase?: string } | undefined)?.phase === 'Running';
    },
    20_000,
  );
});
after(async () => sandbox?.stop());

async function nodeExec(command: string[], options: { stdin?: string[]; tty?: boolean } = {}) {
  const out = textCollector();
  const err = textCollector();
  const stdin = options.stdin ? new PassThrough() : null;
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kubeConfig)
      .exec('default', 'box', 'box', command, out.stream, err.stream, stdin, options.tty ?? false, resolve)
      .then(async () => {
        for (const line of options.stdin ?? []) {
          // One keystroke batch at a time, as a person types.
          stdin?.write(line);
          await new Promise((r) => setTimeout(r, 50));
        }
      })
      .catch(reject);
  });
  return { status, stdout: out.text(), stderr: err.text() };
}

test('client-node Exec runs a command and reports its exit code', async () => {
  const ok = await nodeExec(['sh', '-c', 'echo $HOSTNAME; echo oops >&2']);
  assert.equal(ok.status.status, 'Success');
  assert.equal(ok.stdout, 'box\n');
  assert.equal(ok.stderr, 'oops\n');
  const failed = await nodeExec(['sh', '-c', 'exit 2']);
  assert.equal(failed.status.status, 'Failure');
  assert.equal(failed.status.reason, 'NonZeroExitCode');
  assert.equal(failed.status.details?.causes?.[0]?.message, '2');
});

test('client-node Exec with a tty gets a prompt, echo and \\r\\n line ends', async () => {
  const result = await nodeExec(['sh'], { tty: true, stdin: ['echo hi\r', 'cd /etc\r', 'exit 5\r'] });
  assert.match(result.stdout, /^\/ # echo hi\r\nhi\r\n\/ # cd \/etc\r\n\/etc # exit 5\r\n$/);
  assert.equal(result.status.details?.causes?.[0]?.message, '5');
});

test('python3-kubernetes stream runs exec with stdout, stderr and stdin', async () => {
  assert.ok(existsSync(debianPython), 'Debian python3 is installed (see .ci/run)');
  const script = `
import json, sys
from kubernetes import client, config
from kubernetes.stream import stream
config.load_kube_config(sys.argv[1])
api = client.CoreV1Api()
out = stream(api.connect_get_namespaced_pod_exec, 'box', 'default', command=['sh', '-c', 'echo hello; ls /etc/hostname'], stderr=True, stdin=False, stdout=True, tty=False)
ws = stream(api.connect_get_namespaced_pod_exec, 'box', 'default', command=['sh'], stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
ws.write_stdin('echo from-stdin\\n')
ws.write_stdin('exit 3\\n')
ws.run_forever(timeout=10)
print(json.dumps({'out': out, 'stdin_out': ws.read_stdout(), 'code': ws.returncode}))
`;
  const { stdout } = await execa(debianPython, ['-c', script, sandbox.kubeconfigPath], {
    timeout: 60_000,
    env: { NO_PROXY: '*' },
  });
  const result = JSON.parse(stdout) as { out: string; stdin_out: string; code: number };
  assert.equal(result.out, 'hello\n/etc/hostname\n');
  assert.equal(result.stdin_out, 'from-stdin\n');
  assert.equal(result.code, 3);
});
