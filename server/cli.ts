// `kubewars`: the command line. Exit codes: 0 success, 1 runtime failure (one human line), 2 usage error.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UserError } from './errors.ts';
import { parseGameSelector } from './game/state/selector.ts';
import { LOG_FORMATS, setLogFormat } from './log.ts';
import type { LogFormat } from './log.ts';
import { projectRoot, startPlatform } from './platform.ts';
import { trustProxySetting } from './web/server.ts';
import type { RunningPlatform } from './platform.ts';
import { defaultPublicAddress } from './room/address.ts';
import {
  DEFAULT_ATTENDEE_QUOTA,
  DEFAULT_TOKEN_TTL_SECONDS,
  parseAttendeeQuota,
  parseTokenTtl,
} from './room/namespace/settings.ts';
import { startSandbox } from './sandbox/index.ts';
import { nodeNamesProblems } from './sandbox/controllers/topology.ts';
import { registerNodeCommands } from './node-commands.ts';
import { registerClusterCommands } from './vagrant/commands.ts';
import { registerCourseCommands } from './course/commands.ts';
import { settleSwitches } from './env-switches.ts';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  version: string;
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free one).');
  }
  return port;
}

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number ≥ 1.');
  return number;
}

/** Instructor tokens shorter than this could be guessed by someone in the room. */
const MIN_INSTRUCTOR_TOKEN = 16;

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `a,b` → ['a', 'b']: namespace names, checked so a typo does not silently watch or protect nothing. */
function parseNamespaces(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const bad = names.find((name) => !NAMESPACE_NAME.test(name));
  if (bad !== undefined) {
    throw new InvalidArgumentError(`"${bad}" is not a namespace name (lower-case letters, digits and -).`);
  }
  if (names.length === 0) throw new InvalidArgumentError('expected namespace names separated by commas.');
  return names;
}

/** https://host:port: where attendees reach the API server (a port-forward's address is no use to them). */
function parseServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not a URL such as https://k8s.example.org:6443.`);
  }
  if (url.protocol !== 'https:')
    throw new Error(`"${value}" is not an https:// address: an API server speaks TLS.`);
  return value.replace(/\/+$/, '');
}

/** An option parser whose errors commander reports as usage errors (exit 2, with why). */
const usageErrors =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

const gameSelectorOption = usageErrors((value) => (parseGameSelector(value), value));

/** 1.34.2 or v1.34.2 → v1.34.2, the form the API server reports. */
function parseKubernetesVersion(value: string): string {
  if (!/^v?\d+\.\d+\.\d+$/.test(value)) {
    throw new InvalidArgumentError('expected a Kubernetes version such as v1.34.2.');
  }
  return value.startsWith('v') ? value : `v${value}`;
}

/** kind-control-plane,kind-worker → the names, checked as the sandbox will (control plane first, one worker or more). */
function parseNodeNames(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  const problems = nodeNamesProblems(names);
  if (problems.length > 0) throw new InvalidArgumentError(`${problems.join('; ')}.`);
  return names;
}

/** The simulated cluster's shape, shared by `start` and `sandbox`; each has an environment fallback. */
function addSandboxShapeOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--nodes <count>', 'number of worker nodes (the control plane is one more)')
        .argParser(parsePositive)
        .default(2)
        .env('KUBEWARS_NODES'),
    )
    .addOption(
      new Option(
        '--node-names <names>',
        'name the nodes like your cluster, control plane first (e.g. kind-control-plane,kind-worker,kind-worker2); overrides --nodes',
      )
        .argParser(parseNodeNames)
        .env('KUBEWARS_NODE_NAMES'),
    )
    .addOption(
      new Option('--speed <speed>', 'how fast pods start')
        .choices(['fast', 'realistic'])
        .default('realistic')
        .env('KUBEWARS_SPEED'),
    )
    .addOption(
      new Option(
        '--kubernetes-version <version>',
        'the Kubernetes version the sandbox reports (default: v1.35.0)',
      )
        .argParser(parseKubernetesVersion)
        .env('KUBEWARS_KUBERNETES_VERSION'),
    )
    .addOption(
      new Option(
        '--node-eviction-timeout <seconds>',
        "how long a stopped node's pods stay before they are evicted (a real cluster waits 300)",
      )
        .argParser(parsePositive)
        .default(30)
        .env('KUBEWARS_NODE_EVICTION_TIMEOUT'),
    );
}

/** An option's attribute name as its flag: publicAddress → --public-address. */
function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Stops cleanly on Ctrl-C / SIGTERM; a second signal, or a stop that hangs, exits at once. */
function stopOnSignal(stop: () => Promise<void>): Promise<never> {
  return new Promise((_resolve, _reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping…\n`);
      setTimeout(() => process.exit(1), 1800).unref();
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function printStartBanner(platform: RunningPlatform): void {
  const { cluster, url, instructorToken, room } = platform;
  const lines =
    cluster.mode === 'sandbox'
      ? [`Kube Wars is running on the built-in sandbox cluster (Kubernetes ${cluster.version}).`]
      : [
          `Kube Wars is running on the cluster of context "${cluster.context}" (${cluster.server}, ${cluster.version}).`,
          'The chaos engine will delete pods labelled for the game there, and nothing else.',
        ];
  if (room) {
    // The token is printed apart from the URL: a projector showing the URL must not show the room the token.
    lines.push(
      '',
      `Room: attendees join at ${room.publicBaseUrl}/ (public address ${room.publicAddress}; change it with --public-address).`,
      room.kind === 'namespace'
        ? `  ${room.attendees} attendee${room.attendees === 1 ? '' : 's'} joined, up to ${room.maxAttendees}; each gets a namespace kw-<name>, their kubeconfigs name ${room.sandboxUrl} (change it with --attendee-server).`
        : `  ${room.attendees} attendee${room.attendees === 1 ? '' : 's'} joined, up to ${room.maxAttendees}; their clusters answer at ${room.sandboxUrl}.`,
      '',
      `  Players:           ${room.publicBaseUrl}/`,
      `  Battle:            ${room.publicBaseUrl}/game`,
      `  Lessons:           ${room.publicBaseUrl}/lessons`,
      `  Instructor:        ${url}/instructor`,
      `  Instructor token:  ${instructorToken}`,
      '',
    );
    if (room.caPath) {
      lines.push(`The pages are served over HTTPS: browsers must trust the room's CA, ${room.caPath}`, '');
    }
  } else {
    lines.push(
      '',
      `  Players:     ${url}/`,
      `  Battle:      ${url}/game`,
      `  Lessons:     ${url}/lessons`,
      `  Instructor:  ${url}/instructor?token=${instructorToken}`,
      '',
    );
  }
  if (cluster.kubeconfigPath) {
    const whose = room ? "Point kubectl at the instructor's cluster:" : 'Point kubectl at this cluster:';
    lines.push(whose, `  export KUBECONFIG=${cluster.kubeconfigPath}`, '');
  }
  lines.push('Press Ctrl-C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function buildProgram(): Command {
  const program = new Command('kubewars')
    .description('Kube Wars: Kubernetes lessons, a practice cluster and a chaos-survival game.')
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces for failures')
    .addOption(
      new Option(
        '--log-format <format>',
        'how log lines look (default: pretty in a terminal, json otherwise)',
      )
        .choices(LOG_FORMATS)
        .env('KUBEWARS_LOG_FORMAT'),
    )
    .exitOverride()
    .hook('preAction', (command) => {
      const { logFormat } = command.opts<{ logFormat?: LogFormat }>();
      if (logFormat) setLogFormat(logFormat);
    });

  const start = program
    .command('start')
    .description(
      'start the platform: lessons, game and instructor screen (on the built-in sandbox by default)',
    )
    .addOption(
      new Option('--cluster <kind>', 'which cluster to use')
        .choices(['sandbox', 'kubeconfig'])
        .default('sandbox'),
    )
    .option('--kubeconfig <path>', 'use the cluster of this kubeconfig (implies --cluster kubeconfig)')
    .option('--context <name>', 'kubeconfig context to use (implies --cluster kubeconfig)')
    .option(
      '--host <address>',
      'address the web server (and in a room the sandbox) listens on (default: 127.0.0.1, in a room 0.0.0.0)',
    )
    .option('--port <port>', 'port of the web server', parsePort, 8080)
    .option(
      '--trust-proxy <hops|addresses>',
      'behind a reverse proxy: take client addresses from X-Forwarded-For sent by these proxies',
      usageErrors(trustProxySetting),
    )
    .option(
      '--kubeconfig-out <path>',
      "where to write the sandbox's kubeconfig",
      '.kubewars/sandbox.kubeconfig',
    )
    .option('--sandbox-port <port>', "port of the sandbox's API server (0: a free one)", parsePort, 6443)
    .option('--state <path>', "keep the sandbox's objects in this file across restarts")
    .option('--data-dir <path>', 'where rounds, scores and progress are kept', '.kubewars')
    .addOption(
      new Option('--instructor-token <token>', 'token for the instructor screen (default: random)').env(
        'KUBEWARS_INSTRUCTOR_TOKEN',
      ),
    )
    .addOption(
      new Option('--game-selector <selector>', 'label selector of the pods the game shows and fires at')
        .argParser(gameSelectorOption)
        .default('game=starwars')
        .env('KUBEWARS_GAME_SELECTOR'),
    )
    .addOption(
      new Option('--game-namespaces <a,b>', 'watch and fire only in these namespaces (default: all)')
        .argParser(parseNamespaces)
        .env('KUBEWARS_GAME_NAMESPACES'),
    )
    .addOption(
      new Option(
        '--protected-namespaces <a,b>',
        'never show or fire at pods in these namespaces, besides kube-system, kube-public and kube-node-lease',
      )
        .argParser(parseNamespaces)
        .env('KUBEWARS_PROTECTED_NAMESPACES'),
    )
    .addOption(
      new Option(
        '--room',
        'workshop room: each attendee joins from the player page and gets a cluster (with --kubeconfig, a namespace of it)',
      ).env('KUBEWARS_ROOM'),
    )
    .addOption(
      new Option(
        '--public-address <host>',
        "host name or IP attendees reach the room at, written into their kubeconfigs (default: --host, or this machine's first network address)",
      ).env('KUBEWARS_PUBLIC_ADDRESS'),
    )
    .addOption(
      new Option('--attendee-pod-limit <count>', 'pods each attendee cluster may hold')
        .argParser(parsePositive)
        .default(50)
        .env('KUBEWARS_ATTENDEE_POD_LIMIT'),
    )
    .addOption(
      new Option('--max-attendees <count>', 'attendees the room takes')
        .argParser(parsePositive)
        .default(200)
        .env('KUBEWARS_MAX_ATTENDEES'),
    )
    .addOption(
      new Option('--joins-per-minute <count>', 'joins allowed per attendee address and minute')
        .argParser(parsePositive)
        .default(20)
        .env('KUBEWARS_JOINS_PER_MINUTE'),
    )
    .addOption(
      new Option('--tls', "serve the web pages over HTTPS with a certificate from the room's CA").env(
        'KUBEWARS_TLS',
      ),
    )
    .addOption(
      new Option(
        '--attendee-quota <quota>',
        "a namespace room's ResourceQuota per attendee, over the defaults pods=20,requests.cpu=2,requests.memory=2Gi (resource= drops one)",
      )
        .argParser(usageErrors(parseAttendeeQuota))
        .env('KUBEWARS_ATTENDEE_QUOTA'),
    )
    .addOption(
      new Option(
        '--attendee-token-ttl <duration>',
        "how long a namespace room's attendee kubeconfig stays valid, e.g. 12h, 90m, 1d (default: 12h)",
      )
        .argParser(usageErrors(parseTokenTtl))
        .env('KUBEWARS_ATTENDEE_TOKEN_TTL'),
    )
    .addOption(
      new Option(
        '--attendee-server <url>',
        "the API server address written into a namespace room's attendee kubeconfigs (default: the kubeconfig's)",
      )
        .argParser(usageErrors(parseServerUrl))
        .env('KUBEWARS_ATTENDEE_SERVER'),
    );
  addSandboxShapeOptions(start).action(async (options, command: Command) => {
    const fromCommandLine = (name: string) => command.getOptionValueSource(name) === 'cli';
    const useKubeconfig = options.cluster === 'kubeconfig' || options.kubeconfig || options.context;
    if (
      fromCommandLine('cluster') &&
      options.cluster === 'sandbox' &&
      (options.kubeconfig || options.context)
    ) {
      command.error(
        'error: --cluster sandbox cannot be combined with --kubeconfig or --context: choose one cluster.',
        { exitCode: 2, code: 'kubewars.conflictingCluster' },
      );
    }
    const sandboxOnly = ['nodes', 'nodeNames', 'speed', 'kubernetesVersion', 'nodeEvictionTimeout'].filter(
      fromCommandLine,
    );
    if (useKubeconfig && sandboxOnly.length > 0) {
      const flags = sandboxOnly.map(flagOf);
      const verb = flags.length === 1 ? 'applies' : 'apply';
      command.error(
        `error: ${flags.join(', ')} ${verb} only to the built-in sandbox, not to a kubeconfig's cluster.`,
        {
          exitCode: 2,
          code: 'kubewars.sandboxOnly',
        },
      );
    }
    const token: string | undefined = options.instructorToken;
    if (token !== undefined && token.length < MIN_INSTRUCTOR_TOKEN) {
      const source =
        command.getOptionValueSource('instructorToken') === 'env'
          ? 'KUBEWARS_INSTRUCTOR_TOKEN'
          : '--instructor-token';
      command.error(
        `error: ${source} is ${token.length} characters: use at least ${MIN_INSTRUCTOR_TOKEN}, so nobody in the room can guess it (or leave it out for a random one).`,
        { exitCode: 2, code: 'kubewars.shortInstructorToken' },
      );
    }
    const given = (name: string) =>
      command.getOptionValueSource(name) === 'cli' || command.getOptionValueSource(name) === 'env';
    const namespaceRoomOnly = ['attendeeQuota', 'attendeeTokenTtl', 'attendeeServer'];
    const roomOnly = [
      'publicAddress',
      'attendeePodLimit',
      'maxAttendees',
      'joinsPerMinute',
      'tls',
      ...namespaceRoomOnly,
    ].filter(given);
    if (!options.room && roomOnly.length > 0) {
      const flags = roomOnly.map(flagOf);
      command.error(
        `error: ${flags.join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} only to a room: add --room.`,
        {
          exitCode: 2,
          code: 'kubewars.roomOnly',
        },
      );
    }
    // A room on a kubeconfig's cluster gives each attendee a namespace; the sandbox's own settings do not apply.
    const wrongRoomKind = useKubeconfig
      ? ['attendeePodLimit', 'tls'].filter(given)
      : namespaceRoomOnly.filter(given);
    if (options.room && wrongRoomKind.length > 0) {
      const flags = wrongRoomKind.map(flagOf);
      const verb = flags.length === 1 ? 'applies' : 'apply';
      command.error(
        useKubeconfig
          ? `error: ${flags.join(', ')} ${verb} only to a room on the built-in sandbox: a room on a kubeconfig's cluster gives each attendee a namespace (see --attendee-quota).`
          : `error: ${flags.join(', ')} ${verb} only to a room on a kubeconfig's cluster (--kubeconfig): a sandbox room gives each attendee a cluster.`,
        { exitCode: 2, code: 'kubewars.roomKind' },
      );
    }
    const host: string = options.host ?? (options.room ? '0.0.0.0' : '127.0.0.1');
    const platform = await startPlatform({
      host,
      port: options.port,
      cluster: useKubeconfig ? 'kubeconfig' : 'sandbox',
      kubeconfig: { path: options.kubeconfig, context: options.context },
      sandboxKubeconfigOut: resolve(options.kubeconfigOut),
      sandboxPort: options.sandboxPort,
      sandboxState: options.state ? resolve(options.state) : undefined,
      sandboxNodes: options.nodes,
      sandboxNodeNames: options.nodeNames,
      sandboxSpeed: options.speed,
      sandboxVersion: options.kubernetesVersion,
      sandboxNodeEvictionTimeoutSeconds: options.nodeEvictionTimeout,
      dataDir: resolve(options.dataDir),
      instructorToken: options.instructorToken,
      trustProxy: options.trustProxy,
      ...(options.room
        ? {
            room: {
              publicAddress: options.publicAddress ?? defaultPublicAddress(host),
              attendeePodLimit: options.attendeePodLimit,
              maxAttendees: options.maxAttendees,
              joinsPerMinute: options.joinsPerMinute,
              tls: Boolean(options.tls),
              ...(useKubeconfig
                ? {
                    namespaces: {
                      quota: options.attendeeQuota ?? { ...DEFAULT_ATTENDEE_QUOTA },
                      tokenTtlSeconds: options.attendeeTokenTtl ?? DEFAULT_TOKEN_TTL_SECONDS,
                      ...(options.attendeeServer ? { attendeeServer: options.attendeeServer } : {}),
                    },
                  }
                : {}),
            },
          }
        : {}),
      game: {
        selector: options.gameSelector,
        namespaces: options.gameNamespaces,
        protectedNamespaces: options.protectedNamespaces,
      },
    });
    printStartBanner(platform);
    await stopOnSignal(platform.stop);
  });

  const sandboxCommand = program
    .command('sandbox')
    .description('run only the built-in sandbox cluster, in the foreground, until Ctrl-C')
    .option('--host <address>', 'address the API server listens on', '127.0.0.1')
    .option('--port <port>', 'port of the API server (0: a free one)', parsePort, 6443)
    .option('--kubeconfig-out <path>', 'where to write its kubeconfig', '.kubewars/sandbox.kubeconfig')
    .option('--state <path>', 'keep the objects in this file across restarts');
  addSandboxShapeOptions(sandboxCommand).action(async (options) => {
    const sandbox = await startSandbox({
      host: options.host,
      port: options.port,
      kubeconfigOut: resolve(options.kubeconfigOut),
      statePath: options.state ? resolve(options.state) : undefined,
      speed: options.speed,
      nodes: options.nodes,
      nodeNames: options.nodeNames,
      nodeEvictionTimeoutSeconds: options.nodeEvictionTimeout,
      ...(options.kubernetesVersion ? { version: options.kubernetesVersion } : {}),
    });
    process.stdout.write(
      [
        `Sandbox cluster listening on ${sandbox.url}`,
        '',
        'Point kubectl at it:',
        `  export KUBECONFIG=${sandbox.kubeconfigPath}`,
        '  kubectl get nodes',
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await stopOnSignal(sandbox.stop);
  });

  registerNodeCommands(program);
  registerClusterCommands(program);
  registerCourseCommands(program);
  return program;
}

function describeFailure(error: unknown, debug: boolean, command: string | undefined): string {
  if (debug && error instanceof Error && error.stack) return error.stack;
  if (error instanceof UserError) return error.hint ? `${error.message} — ${error.hint}` : error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    const { port } = error as { port?: number };
    const flags =
      command === 'sandbox' ? '--port' : '--port for the web server, --sandbox-port for the sandbox';
    return `Port ${port ?? ''} is already in use: stop what uses it, or choose another port (${flags}).`;
  }
  if (code === 'EACCES') return `Permission denied: ${(error as Error).message}.`;
  return `${(error as Error).message ?? String(error)} (run with --debug for details)`;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  const badSwitch = settleSwitches(process.env, ['KUBEWARS_ROOM', 'KUBEWARS_TLS']);
  if (badSwitch) {
    process.stderr.write(`kubewars: ${badSwitch}\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; commander already printed the usage error itself.
      return error.exitCode === 0 ? 0 : 2;
    }
    const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
    process.stderr.write(`kubewars: ${describeFailure(error, debug, command)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
