// Ingress as a kubeadm cluster with one ingress controller add-on serves it: the default IngressClass `kubewars`,
// class-less Ingresses admitted into it, their address reported by the add-on's controller, kubectl's columns,
// describe reading the backend Service, and the apiserver's validation messages — for kubectl 1.20 and 1.35.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-ingress-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

const ingressManifest = (namespace: string, path: Record<string, unknown>, name = 'hello') =>
  JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: { rules: [{ host: 'hello.kubewars.test', http: { paths: [path] } }] },
  });

const helloPath = {
  path: '/hello',
  pathType: 'Prefix',
  backend: { service: { name: 'web', port: { number: 80 } } },
};

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} and Ingress`, () => {
    const ns = `ingress-${binary.version.replace('.', '-')}`;
    let kubectl: ReturnType<typeof kubectlFor>;
    const ok = async (args: string[], input?: string) => {
      const result = await kubectl(args, { input });
      assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    };

    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      await ok(['create', 'namespace', ns]);
      await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', ns]);
      await ok(['expose', 'deployment', 'web', '--port=80', '-n', ns]);
    });

    test('get ingressclass lists the add-on’s default class kubewars', async () => {
      const [header, row] = (await ok(['get', 'ingressclass'])).split('\n');
      assert.deepEqual(header?.split(/\s+/), ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
      assert.match(row ?? '', /^kubewars\s+kubewars\.dev\/ingress\s+<none>\s+\d+[smh]/);
      const annotation = await ok([
        'get',
        'ingressclass',
        'kubewars',
        '-o',
        'jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}',
      ]);
      assert.equal(annotation, 'true');
    });

    test('an applied Ingress gets the default class and the control-plane node’s address', async () => {
      assert.match(
        await ok(['apply', '-f', '-'], ingressManifest(ns, helloPath)),
        /ingress\.networking\.k8s\.io\/hello created/,
      );
      const controlPlaneIP = await ok([
        'get',
        'nodes',
        '-l',
        'node-role.kubernetes.io/control-plane',
        '-o',
        'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}',
      ]);
      assert.match(controlPlaneIP, /^\d+\.\d+\.\d+\.\d+$/);
      const table = await until(
        'the ingress controller to report an address',
        () => ok(['get', 'ingress', '-n', ns]),
        (out) => out.includes(controlPlaneIP),
      );
      const [header, row] = table.split('\n');
      assert.deepEqual(header?.split(/\s+/), ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
      assert.match(
        row ?? '',
        new RegExp(
          `^hello\\s+kubewars\\s+hello\\.kubewars\\.test\\s+${controlPlaneIP.replaceAll('.', '\\.')}\\s+80\\s+\\d+s$`,
        ),
      );
    });

    test('describe ingress names the backend Service and its port', async () => {
      const out = await ok(['describe', 'ingress', 'hello', '-n', ns]);
      assert.match(out, /^Name:\s+hello$/m);
      assert.match(out, /hello\.kubewars\.test/);
      assert.match(out, /\/hello\s+web:80 /);
    });

    test('an Ingress with no host and TLS prints HOSTS * and PORTS 80, 443; a set class is kept', async () => {
      const manifest = JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'secure', namespace: ns },
        spec: {
          ingressClassName: 'other',
          tls: [{ hosts: ['secure.kubewars.test'], secretName: 'secure-tls' }],
          rules: [{ http: { paths: [helloPath] } }],
        },
      });
      await ok(['apply', '-f', '-'], manifest);
      const row = (await ok(['get', 'ingress', 'secure', '-n', ns])).split('\n')[1];
      // No controller implements class `other`: nothing reports an address, as on a real cluster.
      assert.match(row ?? '', /^secure\s+other\s+\*\s+80, 443\s+\d+s$/);
    });

    test('a path without pathType is refused with the apiserver’s message', async () => {
      const { path, backend } = helloPath;
      const result = await kubectl(['apply', '-f', '-'], {
        input: ingressManifest(ns, { path, backend }, 'no-path-type'),
      });
      assert.notEqual(result.exitCode, 0);
      // kubectl words an Invalid status from its details: `The Ingress "…" is invalid: <causes>`.
      assert.match(
        result.stderr,
        /The Ingress "no-path-type" is invalid: spec\.rules\[0\]\.http\.paths\[0\]\.pathType: Required value: pathType must be specified/,
      );
    });

    test('a backend with neither service nor resource is refused', async () => {
      const result = await kubectl(['apply', '-f', '-'], {
        input: ingressManifest(ns, { path: '/hello', pathType: 'Prefix', backend: {} }, 'no-backend'),
      });
      assert.notEqual(result.exitCode, 0);
      assert.match(
        result.stderr,
        /spec\.rules\[0\]\.http\.paths\[0\]\.backend: Invalid value: "": resource or service backend is required/,
      );
    });
  });
}
