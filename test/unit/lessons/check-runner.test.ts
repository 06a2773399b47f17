import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { runChecks } from '../../../server/lessons/check-runner.ts';
import { checkForPlayer, checksFileSchema, type Check } from '../../../server/lessons/checks.ts';

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'learner' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'default' }],
    currentContext: 'x',
  });
  return kc;
}

const checks = checksFileSchema.parse({
  checks: [
    { id: 'web', kind: 'Deployment', name: 'web', expect: { readyReplicas: '>=1' }, message: { en: 'not ready' } },
    { id: 'nodes', kind: 'Node', labelSelector: 'disk=ssd', expect: {}, message: { en: 'no node' } },
  ],
}).checks as Check[];

describe('checks the cluster will not evaluate', () => {
  // A loopback API server that refuses every request as a real one does for an account without the rights.
  let forbidding: Server;
  let url = '';
  before(async () => {
    forbidding = createServer((req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: `forbidden: ${req.url ?? ''}`,
        }),
      );
    });
    await new Promise<void>((resolve) => forbidding.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(forbidding.address() as AddressInfo).port}`;
  });
  after(() => forbidding.close());

  test('a 403 says Kube Wars may not read that kind there, not that the cluster is unreachable', async () => {
    const [web, nodes] = await runChecks(kubeConfigFor(url), checks, 'lesson-6', 'en');
    assert.equal(web?.passed, false);
    assert.equal(
      web?.message,
      'This check could not run: the cluster does not let Kube Wars read Deployment objects in namespace lesson-6.',
    );
    assert.match(web?.detail ?? '', /answered 403; give Kube Wars' account get and list on Deployment/);
    assert.equal(
      nodes?.message,
      'This check could not run: the cluster does not let Kube Wars read Node objects.',
    );
  });

  test('a French learner is told in French', async () => {
    const [web] = await runChecks(kubeConfigFor(url), checks, 'lesson-6', 'fr');
    assert.equal(
      web?.message,
      "Cette vérification n'a pas pu tourner : le cluster ne laisse pas Kube Wars lire les objets Deployment du namespace lesson-6.",
    );
    assert.match(web?.detail ?? '', /^le cluster a répondu 403/);
  });

  test('a cluster that does not answer is asked about, with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const [web] = await runChecks(kubeConfigFor(`http://127.0.0.1:${port}`), checks, 'default', 'en');
    assert.equal(web?.passed, false);
    assert.equal(web?.message, 'This check could not run: is the cluster reachable?');
    assert.match(web?.detail ?? '', /^connecting to the cluster failed: “.*ECONNREFUSED.*”$/);
    const [russian] = await runChecks(kubeConfigFor(`http://127.0.0.1:${port}`), checks, 'default', 'ru');
    assert.equal(russian?.message, 'Эту проверку не удалось выполнить: доступен ли кластер?');
    assert.match(russian?.detail ?? '', /^не удалось связаться с кластером: «.*ECONNREFUSED.*»$/);
  });
});

const fleetChecks = checksFileSchema.parse({
  checks: [
    {
      id: 'fleet',
      kind: 'Deployment',
      labelSelector: 'game=starwars,player={player:luke},fleet=deployment',
      expect: { readyReplicas: '>=5' },
      message: { en: 'apply deployment/{player:luke}-fleet', fr: 'appliquez deployment/{player:luke}-fleet' },
    },
    { id: 'falcon', kind: 'Pod', name: '{player:han}-falcon', expect: { exists: false }, message: { en: 'shoot it' } },
    { id: 'mine', kind: 'Pod', labelSelector: 'player={player}', expect: {}, message: { en: 'yours' } },
  ],
}).checks as Check[];

describe('checks for one pilot', () => {
  // A loopback API server that knows pods and deployments, answers every read with "not found" and every list with
  // nothing, recording what was asked.
  let api: Server;
  let url = '';
  const asked: string[] = [];
  const discovery: Record<string, { name: string; kind: string }> = {
    '/api/v1': { name: 'pods', kind: 'Pod' },
    '/apis/apps/v1': { name: 'deployments', kind: 'Deployment' },
  };
  before(async () => {
    api = createServer((req, res) => {
      const resource = discovery[req.url ?? ''];
      if (resource) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'APIResourceList', resources: [{ ...resource, namespaced: true, verbs: ['get', 'list'] }] }));
        return;
      }
      asked.push(decodeURIComponent(req.url ?? ''));
      const list = /labelSelector=/.test(req.url ?? '');
      res.writeHead(list ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          list
            ? { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] }
            : { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
        ),
      );
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  after(() => api.close());

  test("an attendee's pilot name fills {player} in the selector, the object name and the message", async () => {
    asked.length = 0;
    const [fleet, falcon] = await runChecks(kubeConfigFor(url), fleetChecks, 'battle', 'fr', 'rey');
    assert.ok(asked.some((a) => a.includes('labelSelector=game=starwars,player=rey,fleet=deployment')), asked.join('\n'));
    assert.ok(asked.some((a) => a.endsWith('/namespaces/battle/pods/rey-falcon')), asked.join('\n'));
    assert.equal(fleet?.message, 'appliquez deployment/rey-fleet');
    assert.equal(fleet?.passed, false);
    assert.equal(falcon?.passed, true);
  });

  test('without a pilot name the checks look for the sample pilots, and a check with no sample asks for a name', async () => {
    asked.length = 0;
    const [fleet, , mine] = await runChecks(kubeConfigFor(url), fleetChecks, 'battle', 'en');
    assert.ok(asked.some((a) => a.includes('player=luke,fleet=deployment')), asked.join('\n'));
    assert.ok(asked.some((a) => a.endsWith('/pods/han-falcon')), asked.join('\n'));
    assert.equal(fleet?.message, 'apply deployment/luke-fleet');
    assert.equal(mine?.passed, false);
    assert.match(mine?.message ?? '', /choose a pilot name on the player page/);
    assert.ok(!asked.some((a) => a.includes('player=&') || a.endsWith('player=')), 'asked with an empty name');
  });

  test('a pilot name that is no label value is explained instead of sent to the cluster', () => {
    const result = checkForPlayer(fleetChecks[0] as Check, 'Jean Dupont');
    assert.ok('problem' in result);
    assert.match(result.problem, /"Jean Dupont" cannot be a Kubernetes label value/);
  });

  test('the pilot name problem is said in the learner\'s language', () => {
    const result = checkForPlayer(fleetChecks[0] as Check, 'Jean Dupont', 'fr');
    assert.ok('problem' in result);
    assert.match(result.problem, /^Votre nom de pilote « Jean Dupont » ne peut pas être une valeur de label/);
  });

  test('a name that fits a label but not an object name is explained for checks that name an object', () => {
    const result = checkForPlayer(fleetChecks[1] as Check, 'Rey');
    assert.ok('problem' in result);
    assert.match(result.problem, /cannot be part of an object name/);
  });

  test('checks without a placeholder run unchanged whatever the pilot name', () => {
    const plain = checks[0] as Check;
    assert.deepEqual(checkForPlayer(plain, 'Jean Dupont'), { check: plain });
  });
});
