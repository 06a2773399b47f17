// Real kubectl binaries for tests: 1.20 (Debian's kubernetes-client) and 1.35 (scripts/test-tools.mjs fetches it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** A test tool's path from scripts/test-tools.mjs, which downloads it on first use (`npm test` does so up front). */
export function testToolPath(name: 'kubectl' | 'helm' | 'node24'): string {
  const out = execFileSync(process.execPath, [join(projectRoot, 'scripts/test-tools.mjs'), name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim();
}

let cached: KubectlBinary[] | undefined;

/** Both kubectl versions the tests must pass with. */
export function kubectlBinaries(): KubectlBinary[] {
  cached ??= [
    { version: '1.20', path: findKubectl120() },
    { version: '1.35', path: testToolPath('kubectl') },
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
