// Network commands inside a pod: wget and curl to Services and pods (answered by the simulated apps), nslookup
// against cluster DNS, ping (pods answer, ClusterIPs do not).
import { fetchFrom, type Fetched } from '../apps.ts';
import { normalizePath } from '../filesystem.ts';
import { pause } from './system.ts';
import type { CommandContext, CommandRun } from './types.ts';

/** Resolves and connects as a client in the container would; errors worded as busybox wget words them. */
function fetchUrl(context: CommandContext, url: string): Fetched & { host?: string } {
  const match = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)$/.exec(url);
  if (!match) return { kind: 'error', message: `bad address '${url}'` };
  const [, scheme = 'http', host = '', port, path] = match;
  const namespace = context.inside.pod().metadata.namespace ?? 'default';
  const target = Number(port ?? (scheme === 'https' ? 443 : 80));
  const fetched = fetchFrom(context.inside.insides, namespace, host, target, path || '/');
  return fetched.kind === 'reply' ? { ...fetched, host } : fetched;
}

function optionValue(args: string[], names: string[]): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const joined = names.find(
      (n) =>
        arg.startsWith(`${n}=`) ||
        (n.length === 2 && arg.startsWith(n) && arg.length > 2 && !arg.startsWith('--')),
    );
    if (names.includes(arg)) value = args[++i];
    else if (joined) value = arg.slice(arg.startsWith(`${joined}=`) ? joined.length + 1 : joined.length);
    else rest.push(arg);
  }
  return { ...(value !== undefined ? { value } : {}), rest };
}

/** busybox wget's options: short flags combine (-qO-), and -O, -T, -U, -Y take a value. */
function wgetOptions(args: string[]) {
  const options = {
    quiet: false,
    headers: false,
    output: undefined as string | undefined,
    urls: [] as string[],
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith('--')) {
      const [name, value] = arg.split('=', 2) as [string, string | undefined];
      if (name === '--quiet') options.quiet = true;
      else if (name === '--server-response') options.headers = true;
      else if (name === '--output-document') options.output = value ?? args[++i];
      else if (value === undefined && ['--timeout', '--user-agent', '--header'].includes(name)) i++;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.urls.push(arg);
      continue;
    }
    for (let c = 1; c < arg.length; c++) {
      const flag = arg[c] as string;
      if (flag === 'q') options.quiet = true;
      else if (flag === 'S') options.headers = true;
      else if ('OTUY'.includes(flag)) {
        const value = arg.length > c + 1 ? arg.slice(c + 1) : args[++i];
        if (flag === 'O') options.output = value;
        break;
      }
    }
  }
  return options;
}

const wget: CommandRun = (context) => {
  const { quiet, headers: showHeaders, output, urls } = wgetOptions(context.args);
  const url = urls.pop();
  if (!url) {
    context.stderr('BusyBox v1.37.0 multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] URL...\n');
    return 1;
  }
  const fetched = fetchUrl(context, url);
  const host = /^(?:https?:\/\/)?([^/:?#]+(?::\d+)?)/.exec(url)?.[1] ?? url;
  if (!quiet)
    context.stderr(
      `Connecting to ${host}${fetched.kind === 'reply' ? ` (${fetched.ip}:${/:(\d+)/.exec(host)?.[1] ?? 80})` : ''}\n`,
    );
  if (fetched.kind === 'error') {
    context.stderr(`wget: ${fetched.message}\n`);
    return 1;
  }
  const { reply } = fetched;
  if (showHeaders)
    context.stderr(`  HTTP/1.1 ${reply.status} ${reply.reason}\n  Content-Type: ${reply.contentType}\n`);
  if (reply.status >= 400) {
    context.stderr(`wget: server returned error: HTTP/1.1 ${reply.status} ${reply.reason}\n`);
    return 1;
  }
  const file =
    output ??
    (new URL(url.includes('://') ? url : `http://${url}`).pathname.split('/').pop() || 'index.html');
  if (file === '-') context.stdout(reply.body);
  else {
    context.inside.fs.write(normalizePath(file, context.cwd), reply.body);
    if (!quiet)
      context.stderr(
        `saving to '${file}'\n${file}             100% |********************************|   ${reply.body.length}  0:00:00 ETA\n'${file}' saved\n`,
      );
  }
  return 0;
};

const curl: CommandRun = (context) => {
  const output = optionValue(context.args, ['-o', '--output']);
  const words = output.rest.filter(
    (a, i, all) =>
      !['-m', '--max-time', '--connect-timeout', '-H', '-A'].includes(all[i - 1] ?? '') &&
      !['-m', '--max-time', '--connect-timeout', '-H', '-A'].includes(a),
  );
  const include = words.some((a) => /^-[a-zA-Z]*i/.test(a) || a === '--include');
  const headOnly = words.some((a) => /^-[a-zA-Z]*I/.test(a) || a === '--head');
  const failOnError = words.some((a) => /^-[a-zA-Z]*f/.test(a) || a === '--fail');
  const url = words.filter((a) => !a.startsWith('-')).pop();
  if (!url) {
    context.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const fetched = fetchUrl(context, url);
  if (fetched.kind === 'error') {
    const host = /^(?:https?:\/\/)?([^/:?#]+)/.exec(url)?.[1] ?? url;
    if (fetched.message.startsWith('bad address')) {
      context.stderr(`curl: (6) Could not resolve host: ${host}\n`);
      return 6;
    }
    const port = /:(\d+)/.exec(url.replace(/^https?:\/\//, ''))?.[1] ?? '80';
    context.stderr(
      `curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server\n`,
    );
    return 7;
  }
  const { reply } = fetched;
  if (failOnError && reply.status >= 400) {
    context.stderr(`curl: (22) The requested URL returned error: ${reply.status}\n`);
    return 22;
  }
  const headers = `HTTP/1.1 ${reply.status} ${reply.reason}\r\nContent-Type: ${reply.contentType}\r\nContent-Length: ${Buffer.byteLength(reply.body)}\r\n\r\n`;
  const text = headOnly ? headers : `${include ? headers : ''}${reply.body}`;
  if (output.value && output.value !== '-')
    context.inside.fs.write(normalizePath(output.value, context.cwd), text);
  else context.stdout(text);
  return 0;
};

const nslookup: CommandRun = (context) => {
  const name = context.args.filter((a) => !a.startsWith('-'))[0];
  if (!name) {
    context.stderr(
      'BusyBox v1.37.0 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n',
    );
    return 1;
  }
  const network = context.inside.network;
  const dns = network.dnsServerIP();
  const namespace = context.inside.pod().metadata.namespace ?? 'default';
  context.stdout(`Server:\t\t${dns}\nAddress:\t${dns}:53\n\n`);
  const resolved = network.resolve(name, namespace);
  if (!resolved) {
    context.stdout(`** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  if (/^\d+(\.\d+){3}$/.test(name)) {
    const reverse = network.nameOf(name);
    if (!reverse) {
      context.stdout(
        `** server can't find ${name.split('.').reverse().join('.')}.in-addr.arpa: NXDOMAIN\n\n`,
      );
      return 1;
    }
    context.stdout(`${name.split('.').reverse().join('.')}.in-addr.arpa\tname = ${reverse}\n\n`);
    return 0;
  }
  context.stdout(resolved.addresses.map((ip) => `Name:\t${resolved.fqdn}\nAddress: ${ip}\n`).join('\n'));
  context.stdout('\n');
  return 0;
};

const ping: CommandRun = async (context) => {
  const count = optionValue(context.args, ['-c']);
  const host = count.rest.filter((a) => !a.startsWith('-')).pop();
  if (!host) {
    context.stderr('BusyBox v1.37.0 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n');
    return 1;
  }
  const resolved = context.inside.network.resolve(host, context.inside.pod().metadata.namespace ?? 'default');
  if (!resolved) {
    context.stderr(`ping: bad address '${host}'\n`);
    return 1;
  }
  const ip = resolved.addresses[0] as string;
  const answers = context.inside.network.answersPing(ip);
  const limit = count.value ? Number(count.value) : Infinity;
  context.stdout(`PING ${host} (${ip}): 56 data bytes\n`);
  let sent = 0;
  let received = 0;
  while (sent < limit) {
    if (answers) {
      context.stdout(
        `64 bytes from ${ip}: seq=${sent} ttl=64 time=0.${String(60 + ((sent * 37) % 40)).padStart(3, '0')} ms\n`,
      );
      received++;
    }
    sent++;
    if (sent < limit && !(await pause(context, 1000))) break;
  }
  const loss = sent ? Math.round(((sent - received) / sent) * 100) : 0;
  context.stdout(
    `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`,
  );
  if (received) context.stdout('round-trip min/avg/max = 0.060/0.079/0.099 ms\n');
  return received ? 0 : 1;
};

export const NET_COMMANDS: Record<string, CommandRun> = { wget, curl, nslookup, ping };
