// The course runs on any cluster the instructor brings (the sandbox, Vagrant, kind, minikube…), whose nodes are
// named differently: no manifest, check, runnable block or solution may depend on a node's hostname.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';

const projectRoot = join(import.meta.dirname, '../../..');
const stepFolders = readdirSync(join(projectRoot, 'steps'))
  .filter((f) => /^step-\d+-/.test(f))
  .sort();

// The node names of the clusters the course names: the sandbox's and Vagrant's (kubeadm), kind's, minikube's, and the
// sandbox's former ones; a label value (`tier=control-plane`) or a role label is not a node.
const nodeName = /(?<![\w./=-])(master|node-\d+|worker-\d+|control-plane|kind-control-plane|kind-worker\d*|minikube|docker-desktop)(?![\w.-])/;

/** Where a manifest pins a node: `nodeName`, or a hostname in a nodeSelector or node affinity term. */
function pinnedNodes(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => pinnedNodes(item, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  const record = value as Record<string, unknown>;
  if (typeof record.nodeName === 'string') found.push(`${path.join('.')}.nodeName: ${record.nodeName}`);
  if (path.at(-1) === 'nodeSelector' && 'kubernetes.io/hostname' in record) {
    found.push(`${path.join('.')}: kubernetes.io/hostname`);
  }
  if (record.key === 'kubernetes.io/hostname' && Array.isArray(record.values)) {
    found.push(`${path.join('.')}: kubernetes.io/hostname in ${record.values.join(',')}`);
  }
  for (const [key, child] of Object.entries(record)) found.push(...pinnedNodes(child, [...path, key]));
  return found;
}

/** Lines of runnable code that name a node, for the message. */
function namedNodes(code: string): string[] {
  return code.split('\n').filter((line) => nodeName.test(line.replace(/node-role\.kubernetes\.io\/control-plane/g, '')));
}

describe('the course names no node', () => {
  test('no manifest in steps/ pins a pod to a node by name', () => {
    const pinned = stepFolders.flatMap((folder) =>
      readdirSync(join(projectRoot, 'steps', folder))
        .filter((file) => /\.ya?ml$/.test(file) && file !== 'checks.yaml')
        .flatMap((file) =>
          parseAllDocuments(readFileSync(join(projectRoot, 'steps', folder, file), 'utf8')).flatMap((doc) =>
            pinnedNodes(doc.toJS()).map((where) => `steps/${folder}/${file} ${where}`),
          ),
        ),
    );
    assert.deepEqual(pinned, []);
  });

  test('no check expects a node name or reads a node by name', () => {
    const offending = stepFolders.flatMap((folder) =>
      loadStep(projectRoot, folder, 'en').checks.flatMap((check) => {
        const found: string[] = [];
        if (check.kind === 'Node' && check.name) found.push(`${check.id}: reads node ${check.name}`);
        for (const [path, expected] of Object.entries(check.expect)) {
          if (/nodeName$|kubernetes\.io\/hostname/.test(path) || nodeName.test(String(expected))) {
            found.push(`${check.id}: expects ${path} = ${String(expected)}`);
          }
        }
        return found.map((f) => `steps/${folder}/checks.yaml ${f}`);
      }),
    );
    assert.deepEqual(offending, []);
  });

  test('no runnable block of a lesson or a solution names a node', () => {
    const offending = listLanguages(projectRoot).flatMap((lang) => [
      ...loadCourse(projectRoot, lang)
        .filter((lesson) => lesson.lang === lang)
        .flatMap((lesson) =>
          renderLesson(lesson.body)
            .blocks.filter((block) => block.mode === 'run')
            .flatMap((block) => namedNodes(block.code).map((line) => `lessons/${lang}/${lesson.slug}.md: ${line}`)),
        ),
      ...stepFolders.flatMap((folder) =>
        renderLesson(loadStep(projectRoot, folder, lang).solution ?? '')
          .blocks.filter((block) => block.mode === 'run')
          .flatMap((block) => namedNodes(block.code).map((line) => `steps/${folder} solution (${lang}): ${line}`)),
      ),
    ]);
    assert.deepEqual(offending, []);
  });

  test('the node-name detector finds the names the old course used, not the control-plane role label', () => {
    assert.deepEqual(namedNodes('kubectl label node node-1 disktype=ssd\nkubectl describe node master'), [
      'kubectl label node node-1 disktype=ssd',
      'kubectl describe node master',
    ]);
    assert.deepEqual(namedNodes("kubectl get nodes -l '!node-role.kubernetes.io/control-plane'"), []);
    assert.deepEqual(pinnedNodes({ spec: { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } } }), [
      'spec.nodeSelector: kubernetes.io/hostname',
    ]);
    assert.deepEqual(pinnedNodes({ spec: { nodeSelector: { disktype: 'ssd' } } }), []);
  });
});
