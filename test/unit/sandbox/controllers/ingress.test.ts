// Ingress in the registry and the tables: DefaultIngressClass admission, validation messages, kubectl's HOSTS,
// ADDRESS and PORTS rules, and which Ingresses the add-on's controller reports an address for.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toTable } from '../../../../server/sandbox/api/tables/index.ts';
import { ingressStatus } from '../../../../server/sandbox/controllers/ingress.ts';
import { ApiError } from '../../../../server/sandbox/errors.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { newRegistry } from '../support.ts';

const INGRESSES = { group: 'networking.k8s.io', resource: 'ingresses' };
const CLASSES = { group: 'networking.k8s.io', resource: 'ingressclasses' };

const ingressClass = (name: string, isDefault: boolean, controller = 'kubewars.dev/ingress'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: {
    name,
    annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {},
  },
  spec: { controller },
});

const ingress = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec,
});

const path = (backend: Record<string, unknown>, pathType?: string) => ({
  rules: [{ http: { paths: [{ path: '/hello', ...(pathType ? { pathType } : {}), backend }] } }],
});
const web = { service: { name: 'web', port: { number: 80 } } };

const invalidMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 422);
    return error.message;
  }
  assert.fail('expected Invalid');
};

describe('Ingress admission and validation', () => {
  test('an Ingress without a class gets the newest default class; a named class is kept', () => {
    const { registry, clock } = newRegistry();
    registry.create(CLASSES, undefined, ingressClass('other', false));
    registry.create(CLASSES, undefined, ingressClass('older', true));
    clock.advance(1000);
    registry.create(CLASSES, undefined, ingressClass('newer', true));
    const admitted = registry.create(INGRESSES, 'default', ingress('a', path(web, 'Prefix')));
    assert.equal((admitted.spec as { ingressClassName?: string }).ingressClassName, 'newer');
    const named = registry.create(INGRESSES, 'default', {
      ...ingress('b', path(web, 'Prefix')),
      spec: { ...path(web, 'Prefix'), ingressClassName: 'other' },
    });
    assert.equal((named.spec as { ingressClassName?: string }).ingressClassName, 'other');
  });

  test('with no default class an Ingress stays class-less', () => {
    const { registry } = newRegistry();
    const admitted = registry.create(INGRESSES, 'default', ingress('a', path(web, 'Prefix')));
    assert.equal((admitted.spec as { ingressClassName?: string }).ingressClassName, undefined);
  });

  test('a path without pathType, a missing backend, a missing port and a relative path are refused', () => {
    const { registry } = newRegistry();
    const refuse = (spec: Record<string, unknown>) =>
      invalidMessage(() => registry.create(INGRESSES, 'default', ingress('bad', spec)));
    assert.equal(
      refuse(path(web)),
      'Ingress.networking.k8s.io "bad" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    );
    assert.match(
      refuse(path({}, 'Prefix')),
      /spec\.rules\[0\]\.http\.paths\[0\]\.backend: Invalid value: "": resource or service backend is required$/,
    );
    assert.match(
      refuse(path({ service: { name: 'web' } }, 'Exact')),
      /spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.port: Required value: port name or number is required$/,
    );
    assert.match(
      refuse({ rules: [{ http: { paths: [{ path: 'hello', pathType: 'Prefix', backend: web }] } }] }),
      /spec\.rules\[0\]\.http\.paths\[0\]\.path: Invalid value: "hello": must be an absolute path$/,
    );
  });
});

describe('Ingress tables', () => {
  const now = Date.parse('2026-01-01T00:05:00Z');
  const row = (object: KubeObject) => {
    const result = toTable(object.kind, [object], { now, includeObject: 'None' }) as unknown as {
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    return Object.fromEntries(result.columnDefinitions.map((c, i) => [c.name, result.rows[0]?.cells[i]]));
  };

  test('HOSTS is * without hosts, and lists three hosts then counts the remaining rules', () => {
    assert.deepEqual(row(ingress('a', path(web, 'Prefix'))), {
      Name: 'a',
      Class: '<none>',
      Hosts: '*',
      Address: '',
      Ports: '80',
      Age: '5m',
    });
    const rules = ['a', '', 'b', 'c', 'd'].map((host) => (host ? { host } : {}));
    assert.equal(row(ingress('a', { rules })).Hosts, 'a,b,c + 2 more...');
  });

  test('ADDRESS joins the sorted reported IPs, PORTS adds 443 with TLS, CLASS shows the class', () => {
    const object = {
      ...ingress('a', { ingressClassName: 'kubewars', tls: [{ hosts: ['a'] }] }),
      status: { loadBalancer: { ingress: [{ ip: '192.168.56.12' }, { hostname: 'lb.example' }] } },
    };
    const cells = row(object);
    assert.equal(cells.Class, 'kubewars');
    assert.equal(cells.Address, '192.168.56.12,lb.example');
    assert.equal(cells.Ports, '80, 443');
  });

  test('an IngressClass shows its controller and parameters', () => {
    const withParameters = {
      ...ingressClass('k', true),
      metadata: { name: 'k', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        controller: 'kubewars.dev/ingress',
        parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' },
      },
    };
    assert.deepEqual(row(withParameters), {
      Name: 'k',
      Controller: 'kubewars.dev/ingress',
      Parameters: 'Params.k8s.example.com/p',
      Age: '5m',
    });
  });
});

describe('the ingress controller', () => {
  const classes = (name: string) =>
    ({
      kubewars: ingressClass('kubewars', true),
      nginx: ingressClass('nginx', false, 'k8s.io/ingress-nginx'),
    })[name];

  test('reports the node address for Ingresses of its class only', () => {
    assert.deepEqual(ingressStatus(ingress('a', { ingressClassName: 'kubewars' }), classes, '10.0.0.1'), {
      loadBalancer: { ingress: [{ ip: '10.0.0.1' }] },
    });
    assert.equal(ingressStatus(ingress('b', { ingressClassName: 'nginx' }), classes, '10.0.0.1'), undefined);
    assert.equal(ingressStatus(ingress('c', {}), classes, '10.0.0.1'), undefined);
  });
});
