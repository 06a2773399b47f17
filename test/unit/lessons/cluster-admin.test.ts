// Lessons say what needs cluster-admin (issue 14): front matter `clusterAdminChecks` and the `cluster-admin` fence
// attribute. The marks are the same in every language, name checks that exist, and cover every check and block that
// an attendee's namespace-admin token could not pass or run; in a namespace room those checks are not required.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { checksToRun, clusterAdminChecks, stepComplete } from '../../../server/lessons/cluster-admin.ts';
import type { Check, CheckResult } from '../../../server/lessons/checks.ts';
import { kindInfo } from '../../../server/lessons/kinds.ts';
import { LessonLibrary } from '../../../server/lessons/library.ts';
import { fallbackLanguage, listLanguages, loadCourse, loadStep, type LessonSource } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';
import { projectRoot } from '../../support/kubewars.ts';

const languages = listLanguages(projectRoot);
const course = (lang: string) => loadCourse(projectRoot, lang).filter((lesson) => lesson.lang === lang);
const markedBlocks = (lesson: LessonSource) =>
  renderLesson(lesson.body)
    .blocks.filter((block) => block.clusterAdmin)
    .map((block) => block.code);

// What a namespace's `admin` role cannot write: objects outside the namespace, and the namespace's own limits.
const adminOnlyKinds = new Set(['ClusterRole', 'ClusterRoleBinding', 'ResourceQuota', 'LimitRange']);
const adminOnlyCommand =
  /kubectl\s+(cordon|uncordon|drain|taint)\b|kubectl\s+label\s+nodes?\b|kubewars\s+(node|cluster\s+ssh)\b|etcdctl|etcdutl|kubectl\s+(create|delete)\s+(namespace|ns)\b|kubectl\b[^\n|;]*\s(-n|--namespace)[ =](?!kube-system\s+get)\S+|--as=|iptables/;

/** Why a manifest of steps/ needs more than a namespace's admin role, or undefined when it does not. */
function manifestNeedsClusterAdmin(path: string): string | undefined {
  const text = readFileSync(join(projectRoot, path), 'utf8');
  if (/^\s*hostPath:/m.test(text)) return `${path} mounts a directory of the node`;
  for (const doc of parseAllDocuments(text)) {
    const object = doc.toJS() as { kind?: string; metadata?: { namespace?: string } } | null;
    if (!object?.kind) continue;
    if (kindInfo(object.kind)?.namespaced === false || adminOnlyKinds.has(object.kind)) return `${path} makes a ${object.kind}`;
    if (object.metadata?.namespace) return `${path} writes in namespace ${object.metadata.namespace}`;
  }
  return undefined;
}

function blockNeedsClusterAdmin(code: string): string | undefined {
  const command = adminOnlyCommand.exec(code);
  if (command) return `it runs "${command[0].trim()}"`;
  for (const [, path] of code.matchAll(/-f\s+(steps\/\S+\.ya?ml)/g)) {
    if (path && existsSync(join(projectRoot, path))) {
      const why = manifestNeedsClusterAdmin(path);
      if (why) return why;
    }
  }
  return undefined;
}

describe('cluster-admin marks of the shipped lessons', () => {
  for (const lang of languages) {
    test(`every ${lang} lesson's clusterAdminChecks names checks of its step`, () => {
      for (const lesson of course(lang)) {
        assert.doesNotThrow(() => clusterAdminChecks(lesson, loadStep(projectRoot, lesson.meta.step, lang)));
      }
    });
  }

  for (const lang of languages.filter((l) => l !== fallbackLanguage)) {
    test(`every ${lang} lesson marks the same checks and blocks as the English one`, () => {
      const english = new Map(course(fallbackLanguage).map((lesson) => [lesson.number, lesson]));
      for (const lesson of course(lang)) {
        const twin = english.get(lesson.number);
        assert.ok(twin, `lessons/${lang}/${lesson.slug}.md has no English twin`);
        const where = `lessons/${lang}/${lesson.slug}.md`;
        assert.deepEqual(lesson.meta.clusterAdminChecks, twin.meta.clusterAdminChecks, `${where}: clusterAdminChecks`);
        assert.deepEqual(markedBlocks(lesson), markedBlocks(twin), `${where}: cluster-admin blocks`);
      }
    });
  }

  test('every check reading outside the attendee namespace is marked', () => {
    const unmarked = course(fallbackLanguage).flatMap((lesson) =>
      loadStep(projectRoot, lesson.meta.step, fallbackLanguage)
        .checks.filter((check) => kindInfo(check.kind)?.namespaced === false || check.namespace !== undefined)
        .filter((check) => !lesson.meta.clusterAdminChecks.includes(check.id))
        .map((check) => `${lesson.slug}: ${check.id} (${check.kind}${check.namespace ? ` in ${check.namespace}` : ''})`),
    );
    assert.deepEqual(unmarked, []);
  });

  test('every block that writes outside the namespace, or to nodes, is marked cluster-admin', () => {
    const unmarked = course(fallbackLanguage).flatMap((lesson) =>
      renderLesson(lesson.body)
        .blocks.filter((block) => block.mode !== 'show' && !block.clusterAdmin)
        .flatMap((block) => {
          const why = blockNeedsClusterAdmin(block.code);
          return why ? [`${lesson.slug}: ${why}:\n${block.code}`] : [];
        }),
    );
    assert.deepEqual(unmarked, []);
  });

  test('the guard itself finds what needs cluster-admin', () => {
    assert.match(blockNeedsClusterAdmin('kubectl label node "$NODE" disktype=ssd') ?? '', /kubectl label node/);
    assert.match(blockNeedsClusterAdmin('kubectl apply -f steps/step-13-namespaces/namespaces.yaml') ?? '', /Namespace/);
    assert.match(blockNeedsClusterAdmin('kubectl apply -f steps/step-12-volumes/hostpath.yaml') ?? '', /node/);
    assert.equal(blockNeedsClusterAdmin('kubectl apply -f steps/step-04-pods/hello-world.yaml\nkubectl -n kube-system get pods'), undefined);
    assert.equal(blockNeedsClusterAdmin("kubectl describe hpa hello | sed -n '/^Conditions/,$p'"), undefined);
    assert.match(blockNeedsClusterAdmin('kubectl get pods -n other') ?? '', /-n other/);
  });
});

const check = (id: string): Check => ({ id, kind: 'Pod', name: id, expect: {}, message: { en: id } });
const result = (id: string, passed: boolean): CheckResult => ({ id, passed, message: id, detail: '' });

describe('checks in a namespace room', () => {
  const checks = [check('pod-running'), check('ssd-node'), check('on-ssd')];

  test('the marked checks are the instructor’s there, and run everywhere else', () => {
    const inNamespaceRoom = checksToRun(checks, ['ssd-node'], 'namespace');
    assert.deepEqual(inNamespaceRoom.run.map((c) => c.id), ['pod-running', 'on-ssd']);
    assert.deepEqual(inNamespaceRoom.instructorShows, ['ssd-node']);
    for (const kind of ['sandbox', undefined] as const) {
      assert.deepEqual(checksToRun(checks, ['ssd-node'], kind), { run: checks, instructorShows: [] });
    }
  });

  test('progress does not wait for the instructor’s checks, and still needs every check of the attendee', () => {
    assert.equal(stepComplete(3, [result('pod-running', true), result('on-ssd', true)]), true);
    assert.equal(stepComplete(3, [result('pod-running', true), result('on-ssd', false)]), false);
    // Every check is the instructor's (lesson 13 in a namespace room): nothing of the attendee's is left to pass.
    const allMarked = checksToRun(checks, ['pod-running', 'ssd-node', 'on-ssd'], 'namespace');
    assert.deepEqual(allMarked.run, []);
    assert.equal(stepComplete(checks.length, []), true);
    assert.equal(stepComplete(0, []), false);
  });
});

describe('the lesson API', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubewars-cluster-admin-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('steps/step-05-labels/checks.yaml', 'checks:\n  - id: ssd-node\n    kind: Node\n    labelSelector: disktype=ssd\n    message: {en: label it}\n');
  const lesson = (marks: string) =>
    `---\ntitle: Labels\nstep: step-05-labels\nduration: 5\nclusterAdminChecks: ${marks}\n---\n` +
    '```bash run cluster-admin\nkubectl label node n disktype=ssd\n```\n';

  test('a lesson page names its instructor checks and marks its blocks', () => {
    write('lessons/en/05-labels.md', lesson('[ssd-node]'));
    const page = new LessonLibrary(root).page('en', '05-labels');
    assert.deepEqual(page?.clusterAdminChecks, ['ssd-node']);
    assert.match(page?.html ?? '', /data-cluster-admin=""/);
  });

  test('a mark naming a check the step lacks is refused, naming both files', () => {
    write('lessons/en/05-labels.md', lesson('[ssd-nodes]'));
    assert.throws(
      () => new LessonLibrary(root).page('en', '05-labels'),
      /lessons\/en\/05-labels\.md: clusterAdminChecks names "ssd-nodes", which steps\/step-05-labels\/checks\.yaml does not have \(its checks: ssd-node\)/,
    );
  });
});
