// Runs the real provisioning scripts on this machine with kubeadm, kubectl, systemctl, crictl, curl… replaced by
// small bash stubs on the PATH that act out a node's state, and every directory the scripts write pointed at a
// temporary one through the environment variables lib.sh honours. What the scripts decide shows in the stubs' log.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { projectRoot } from '../../support/kubewars.ts';

export const scriptsDir = join(projectRoot, 'vagrant', 'scripts');

/** What the stubbed node does; the defaults are a healthy fresh node at Kubernetes 1.35. */
export interface NodeBehaviour {
  /** What `kubeadm version -o short` prints. */
  kubeadmVersion?: string;
  /** `kubeadm init` writes admin.conf and the API server manifest, then exits with this (1: timed out). */
  initExit?: number;
  /** `kubeadm join` writes pki/ca.crt, then exits with this; on 0 it writes kubelet.conf too. */
  joinExit?: number;
  /** Whether `kubectl get --raw /readyz` answers. */
  apiServerUp?: boolean;
  /** Whether the objects of kubeadm's last phases (cluster-info, coredns, kube-proxy) exist. */
  clusterComplete?: boolean;
}

const STUBS: Record<string, string> = {
  kubeadm: `
case "$1 $2" in
  "version -o") echo "\${STUB_KUBEADM_VERSION}" ;;
  "config images") ;;
  "reset -f") rm -rf "$KUBERNETES_DIR"/* ;;
  "token list") echo "TOKEN TTL"; [ -f "$STUB_DIR/token" ] && cat "$STUB_DIR/token" ;;
  "token create") echo abcdef.0123456789abcdef >"$STUB_DIR/token"
    echo "kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00" ;;
  init\\ *) mkdir -p "$KUBERNETES_DIR/manifests"; echo admin >"$KUBERNETES_DIR/admin.conf"
    touch "$KUBERNETES_DIR/manifests/kube-apiserver.yaml"; exit "\${STUB_INIT_EXIT}" ;;
  join\\ *) mkdir -p "$KUBERNETES_DIR/pki"; touch "$KUBERNETES_DIR/pki/ca.crt"
    [ "\${STUB_JOIN_EXIT}" = 0 ] || exit "\${STUB_JOIN_EXIT}"; echo kubelet >"$KUBERNETES_DIR/kubelet.conf" ;;
  *) echo "kubeadm stub: unexpected $*" >&2; exit 2 ;;
esac`,
  kubectl: `
case "$*" in
  "get --raw /readyz") [ "\${STUB_API_UP}" = 1 ] ;;
  *" get configmap cluster-info"|*" get deployment coredns"|*" get daemonset kube-proxy") [ "\${STUB_COMPLETE}" = 1 ] ;;
  apply\\ *|taint\\ *|annotate\\ *) ;;
  *) echo "kubectl stub: unexpected $*" >&2; exit 2 ;;
esac`,
  ip: `echo "3: enp0s8    inet \${NODE_IP}/24 brd 192.168.56.255 scope global enp0s8"`,
  // Any download is a test failure: the scripts must use what prefetch left in the shared cache.
  curl: `echo "curl stub: no network in tests ($*)" >&2; exit 7`,
  // The first thing common.sh changes on a node: reaching it means the checks before it let the script through.
  swapoff: `exit 97`,
  systemctl: ``,
  // Images in STUB_PRESENT_IMAGES are in containerd's store; a pull exits with STUB_PULL_EXIT.
  crictl: `
case "$1" in
  inspecti) [[ " \${STUB_PRESENT_IMAGES:-} " == *" $2 "* ]] ;;
  pull) exit "\${STUB_PULL_EXIT:-0}" ;;
esac`,
  sleep: ``,
  'apt-get': `echo "apt-get stub: nothing may be installed in tests" >&2; exit 2`,
};

export interface ScriptRun {
  exitCode: number;
  output: string;
  /** Every stubbed command called, one `name args…` line each, in order. */
  calls: string[];
}

export interface FakeNode {
  root: string;
  sharedDir: string;
  kubernetesDir: string;
  stateDir: string;
  run(script: string, env?: Record<string, string>): Promise<ScriptRun>;
  /** Creates a file (and its folders) under the fake node's root. */
  write(path: string, text?: string): void;
  exists(path: string): boolean;
}

/**
 * A temporary node: the scripts copied into its shared folder (through `transform`, e.g. to give them CRLF line
 * endings), a flannel manifest in the prefetch cache, and stubs that behave as `behaviour` says.
 */
export function fakeNode(
  behaviour: NodeBehaviour = {},
  transform: (name: string, text: string) => string = (_name, text) => text,
): FakeNode {
  const root = mkdtempSync(join(tmpdir(), 'kubewars-node-'));
  const sharedDir = join(root, 'vagrant');
  const kubernetesDir = join(root, 'etc-kubernetes');
  const stateDir = join(root, 'var-lib-kubewars');
  const binDir = join(root, 'bin');
  for (const dir of [join(sharedDir, 'scripts'), join(sharedDir, 'cache'), kubernetesDir, binDir]) {
    mkdirSync(dir, { recursive: true });
  }
  cpSync(scriptsDir, join(sharedDir, 'scripts'), { recursive: true });
  for (const name of ['common.sh', 'control-plane.sh', 'worker.sh', 'addons.sh', 'lib.sh']) {
    const path = join(sharedDir, 'scripts', name);
    writeFileSync(path, transform(name, readFileSync(path, 'utf8')));
  }
  writeFileSync(
    join(sharedDir, 'cache', 'kube-flannel-v0.27.4.yml'),
    'args:\n        - --ip-masq\n        - --kube-subnet-mgr\nnet: 10.244.0.0/16\n',
  );
  const log = join(root, 'calls.log');
  for (const [name, body] of Object.entries(STUBS)) {
    const path = join(binDir, name);
    writeFileSync(path, `#!/usr/bin/env bash\necho "${name} $*" >>"${log}"\n${body}\n`);
    chmodSync(path, 0o755);
  }
  const user = userInfo();
  const env = {
    PATH: `${binDir}:/usr/bin:/bin`,
    HOME: root,
    SHARED_DIR: sharedDir,
    CACHE_DIR: join(root, 'etc-kubewars'),
    KUBERNETES_DIR: kubernetesDir,
    STATE_DIR: stateDir,
    GUEST_USER: user.username,
    GUEST_GROUP: execaSync('id', ['-gn']).stdout,
    GUEST_HOME: join(root, 'home'),
    STUB_DIR: root,
    STUB_KUBEADM_VERSION: behaviour.kubeadmVersion ?? 'v1.35.0',
    STUB_INIT_EXIT: String(behaviour.initExit ?? 0),
    STUB_JOIN_EXIT: String(behaviour.joinExit ?? 0),
    STUB_API_UP: behaviour.apiServerUp === false ? '0' : '1',
    STUB_COMPLETE: behaviour.clusterComplete ? '1' : '0',
    // The Vagrantfile's inputs for each script.
    NODE_IP: '192.168.56.10',
    KUBERNETES_VERSION: '1.35',
    HOSTS_ENTRIES: '192.168.56.10 control-plane,192.168.56.11 worker-1',
    POD_CIDR: '10.244.0.0/16',
    SERVICE_CIDR: '10.96.0.0/12',
    FLANNEL_VERSION: 'v0.27.4',
    WORKER_COUNT: '1',
    HOST_UID: String(user.uid),
    HOST_GID: String(user.gid),
    STORAGE: 'false',
    INGRESS: 'false',
    METRICS_SERVER: 'false',
    GAME_MANIFESTS: 'false',
  };
  return {
    root,
    sharedDir,
    kubernetesDir,
    stateDir,
    async run(script, extra = {}) {
      writeFileSync(log, '');
      // As Vagrant's shell provisioner runs it: the uploaded copy, with `bash`, as root (here: as this user).
      const result = await execa('bash', [join(sharedDir, 'scripts', script)], {
        env: { ...env, ...extra },
        extendEnv: false,
        all: true,
        reject: false,
        timeout: 30_000,
      });
      const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      return { exitCode: result.exitCode ?? -1, output: result.all ?? '', calls };
    },
    write(path, text = '') {
      const full = join(root, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, text);
    },
    exists: (path) => existsSync(join(root, path)),
  };
}

/** The stub calls whose command and first words match, e.g. called(run, 'kubeadm init'). */
export function called(run: ScriptRun, prefix: string): string[] {
  return run.calls.filter((call) => call === prefix || call.startsWith(`${prefix} `));
}
