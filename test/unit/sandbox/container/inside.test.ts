import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIGMAPS, NAMESPACES } from '../support.ts';
import { ENDPOINTS, SERVICES, cluster, run, runningPod, sh } from './support.ts';

describe('a container inside', () => {
  test('the environment has the kubelet Service variables of Services made before the pod started', async () => {
    const { registry, insides } = cluster();
    registry.create(SERVICES, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hello-service', creationTimestamp: '2025-12-31T00:00:00Z' },
      spec: { clusterIP: '10.96.7.7', ports: [{ name: 'http', port: 80 }] },
    });
    const pod = runningPod(
      registry,
      'box',
      {
        containers: [
          {
            name: 'box',
            image: 'busybox',
            env: [
              { name: 'A', value: 'x' },
              { name: 'B', value: '$(A)-y' },
            ],
          },
        ],
      },
      '10.244.1.9',
    );
    const env = (await run(insides, pod, ['env'])).stdout;
    for (const line of [
      'HELLO_SERVICE_SERVICE_HOST=10.96.7.7',
      'HELLO_SERVICE_SERVICE_PORT=80',
      'HELLO_SERVICE_SERVICE_PORT_HTTP=80',
      'HELLO_SERVICE_PORT=tcp://10.96.7.7:80',
      'HELLO_SERVICE_PORT_80_TCP_ADDR=10.96.7.7',
      'B=x-y',
      'HOSTNAME=box',
    ])
      assert.ok(env.split('\n').includes(line), `${line} in\n${env}`);
  });

  test('a ConfigMap volume shows the object as it is now and is read-only', async () => {
    const { registry, insides } = cluster();
    const cm = registry.create(CONFIGMAPS, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { mode: 'blue' },
    });
    const pod = runningPod(
      registry,
      'reader',
      {
        containers: [{ name: 'r', image: 'busybox', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] }],
        volumes: [{ name: 'cfg', configMap: { name: 'settings' } }],
      },
      '10.244.1.10',
    );
    assert.equal((await sh(insides, pod, 'cat /etc/cfg/mode')).stdout, 'blue');
    registry.update(CONFIGMAPS, 'default', { ...cm, data: { mode: 'green' } });
    assert.equal((await sh(insides, pod, 'cat /etc/cfg/mode')).stdout, 'green');
    const write = await sh(insides, pod, 'echo red > /etc/cfg/mode');
    assert.equal(write.stderr, "sh: can't create /etc/cfg/mode: Read-only file system\n");
  });

  test('DNS: search path, headless Services, StatefulSet pod names; HTTP to a pod IP and a Service', async () => {
    const { registry, insides } = cluster();
    registry.create(NAMESPACES, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    const web = runningPod(
      registry,
      'web-0',
      { hostname: 'web-0', subdomain: 'web', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      '10.244.2.4',
      'shop',
      { app: 'web' },
    );
    registry.create(SERVICES, 'shop', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    registry.create(ENDPOINTS, 'shop', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web' },
      subsets: [{ addresses: [{ ip: '10.244.2.4' }], ports: [{ port: 80 }] }],
    });
    const client = runningPod(
      registry,
      'client',
      { containers: [{ name: 'c', image: 'busybox' }] },
      '10.244.1.3',
      'shop',
    );
    const lookup = await sh(insides, client, 'nslookup web; nslookup web-0.web.shop.svc.cluster.local');
    assert.match(lookup.stdout, /Name:\tweb\.shop\.svc\.cluster\.local\nAddress: 10\.244\.2\.4\n/);
    assert.match(lookup.stdout, /Name:\tweb-0\.web\.shop\.svc\.cluster\.local\nAddress: 10\.244\.2\.4\n/);
    const page = await sh(insides, client, 'wget -qO- http://web-0.web; wget -qO- 10.244.2.4:8080');
    assert.match(page.stdout, /<h1>Welcome to nginx!<\/h1>/);
    assert.equal(page.stderr, "wget: can't connect to remote host (10.244.2.4): Connection refused\n");
    await sh(insides, web, 'echo custom > /usr/share/nginx/html/index.html');
    assert.equal((await sh(insides, client, 'wget -qO- web')).stdout, 'custom\n');
    assert.equal((await sh(insides, client, 'nslookup nothing')).code, 1);
  });

  test('tar writes an archive tar can read back into another directory', async () => {
    const { registry, insides } = cluster();
    const pod = runningPod(registry, 'box', { containers: [{ name: 'b', image: 'busybox' }] }, '10.244.1.11');
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
    await sh(
      insides,
      pod,
      `mkdir -p /src/${long} && echo deep > /src/${long}/f.txt && echo top > /src/top.txt`,
    );
    const result = await sh(
      insides,
      pod,
      'tar cf /a.tar -C / src && mkdir /dst && tar xf /a.tar -C /dst && tar tf /a.tar',
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^src\/\n/);
    assert.equal(
      (await sh(insides, pod, `cat /dst/src/top.txt /dst/src/${long}/f.txt`)).stdout,
      'top\ndeep\n',
    );
  });
});
