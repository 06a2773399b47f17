// What a container's process does, judged from its image and command the way a reader of the manifest would:
// servers run until stopped, shell one-liners finish, `exit 1` and `false` fail. Pure.
import { parseImage } from './images.ts';

export type Program =
  | { kind: 'serves'; handlesSigterm: boolean }
  | {
      kind: 'exits';
      exitCode: number;
      afterMs: number;
      handlesSigterm: boolean;
      /** Why it ended when the exit code alone does not say (the OOM killer's OOMKilled). */
      reason?: string;
    };

interface ContainerLike {
  image?: string;
  command?: string[];
  args?: string[];
  /** The container keeps stdin open (kubectl run -i): a shell reading it waits for input. */
  stdin?: boolean;
}

// Images whose default command is a shell or a one-shot tool: without a command they exit at once with 0.
const SHELL_IMAGES = new Set([
  'busybox',
  'alpine',
  'ubuntu',
  'debian',
  'centos',
  'fedora',
  'bash',
  'amazonlinux',
  'perl',
  'python',
  'ruby',
  'node',
  'golang',
  'openjdk',
]);

/** Docker's hello-world prints a greeting and exits; tutum/hello-world and its kind are web servers. */
const greetsAndExits = (image: string | undefined) =>
  parseImage(image ?? '').repository === 'library/hello-world';

export function imageName(image: string | undefined): string {
  const ref = parseImage(image ?? '');
  return ref.repository.split('/').slice(-1)[0] ?? '';
}

/** The script a shell would run: `sh -c "<script>"` → script; otherwise the words joined. */
export function scriptOf(container: ContainerLike): string {
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  const shell = words.findIndex((word) => word === '-c');
  if (shell >= 0 && /(^|\/)(ba)?sh$/.test(words[0] ?? '')) return words.slice(shell + 1).join(' ');
  return words.join(' ');
}

const RUNS_FOREVER =
  /\b(while\s+(true|:|\[|sleep\b)|until\s+false|sleep\s+(infinity|inf)\b|tail\s+-f|for\s*\(\(\s*;\s*;)/;

export function programOf(container: ContainerLike): Program {
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  const name = imageName(container.image);
  const shellImage = SHELL_IMAGES.has(name);
  if (interactiveShell(container)) return { kind: 'serves', handlesSigterm: false };
  if (words.length === 0) {
    if (greetsAndExits(container.image))
      return { kind: 'exits', exitCode: 0, afterMs: 100, handlesSigterm: true };
    return shellImage
      ? { kind: 'exits', exitCode: 0, afterMs: 50, handlesSigterm: true }
      : { kind: 'serves', handlesSigterm: true };
  }
  const script = scriptOf(container);
  // A shell or sleep as PID 1 ignores SIGTERM and waits out the grace period, as on a real node.
  const handlesSigterm = !/\b(sh|bash|sleep)\b/.test(words.join(' '));
  if (RUNS_FOREVER.test(script)) return { kind: 'serves', handlesSigterm };
  const exit = /\bexit\s+(\d+)/.exec(script);
  if (exit)
    return { kind: 'exits', exitCode: Number(exit[1]), afterMs: 200 + sleepMs(script), handlesSigterm };
  if (/^(\/bin\/)?false\b/.test(script.trim()))
    return { kind: 'exits', exitCode: 1, afterMs: 50, handlesSigterm };
  if (/^(\/bin\/)?true\b/.test(script.trim()))
    return { kind: 'exits', exitCode: 0, afterMs: 50, handlesSigterm };
  if (
    shellImage ||
    /^(\/bin\/)?(sh|bash|echo|sleep|date|printenv|env|cat|ls|perl|python\d?|node)\b/.test(words[0] ?? '')
  ) {
    const work = /\b(perl|python)\b/.test(script) ? 5_000 : 100;
    return { kind: 'exits', exitCode: 0, afterMs: work + sleepMs(script), handlesSigterm };
  }
  return { kind: 'serves', handlesSigterm };
}

/**
 * A shell reading the container's open stdin (kubectl run -i): the image's default shell, or sh/bash without a
 * script (-c) or script file. It runs until its input ends or it is told to exit.
 */
export function interactiveShell(container: ContainerLike): boolean {
  if (!container.stdin) return false;
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  if (!words.length) return SHELL_IMAGES.has(imageName(container.image));
  return (
    /(^|\/)(ba|a)?sh$/.test(words[0] ?? '') && words.slice(1).every((w) => w.startsWith('-') && w !== '-c')
  );
}

/** Total of the script's `sleep N` calls, in ms. */
export function sleepMs(script: string): number {
  let total = 0;
  for (const match of script.matchAll(/\bsleep\s+(\d+(?:\.\d+)?)([smh]?)\b/g)) {
    const unit = match[2] === 'h' ? 3_600_000 : match[2] === 'm' ? 60_000 : 1000;
    total += Number(match[1]) * unit;
  }
  return total;
}

interface ProbedContainer extends ContainerLike {
  livenessProbe?: {
    exec?: { command?: string[] };
    initialDelaySeconds?: number;
    periodSeconds?: number;
    failureThreshold?: number;
  };
}

/**
 * When an exec liveness probe starts failing: the probe reads a file (`cat /tmp/healthy`) that the container's
 * script removes after some sleeps (`touch …; sleep 30; rm -f /tmp/healthy`). Undefined when it never fails.
 */
export function livenessFailure(
  container: ProbedContainer,
): { afterMs: number; message: string } | undefined {
  const probe = container.livenessProbe?.exec?.command ?? [];
  const file = probe.find((word) => word.startsWith('/'));
  if (!file) return undefined;
  const script = scriptOf(container);
  const removal = script.search(
    new RegExp(`\\brm\\s+(-\\w+\\s+)*${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
  );
  if (removal < 0) return undefined;
  const reader = probe[0]?.split('/').pop() ?? 'cat';
  return {
    afterMs: sleepMs(script.slice(0, removal)),
    message: `Liveness probe failed: ${reader}: can't open '${file}': No such file or directory`,
  };
}
