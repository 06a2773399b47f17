import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseInfoString } from '../../../server/lessons/code-blocks.ts';
import { renderLesson } from '../../../server/lessons/render.ts';

describe('renderLesson', () => {
  test('raw HTML in a lesson is shown as text, never executed', () => {
    const { html } = renderLesson('Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n');
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;script&gt;'));
  });

  test('external links open in a new tab, local links stay in place', () => {
    const { html } = renderLesson('[k8s](https://kubernetes.io) and [next](/lessons/en/05-labels)');
    assert.match(html, /<a href="https:\/\/kubernetes.io" target="_blank" rel="noopener noreferrer">k8s<\/a>/);
    assert.match(html, /<a href="\/lessons\/en\/05-labels">next<\/a>/);
  });

  test('a javascript: link is rendered as plain text', () => {
    const { html } = renderLesson('[click](javascript:alert(1))');
    assert.ok(!html.includes('javascript:'));
    assert.ok(html.includes('click'));
  });

  test('every code block gets a copy button, highlighting and its run metadata', () => {
    const md = '```bash run\nkubectl get pods\n```\n\n```bash skip-sandbox reason="needs a real node"\nssh node1\n```\n\n```yaml\na: 1\n```\n';
    const { html, blocks } = renderLesson(md);
    assert.equal((html.match(/class="copy-button"/g) ?? []).length, 3);
    assert.match(html, /data-mode="run"/);
    assert.match(html, /data-mode="skip-sandbox" data-reason="needs a real node"/);
    assert.match(html, /class="hljs language-yaml"/);
    assert.deepEqual(
      blocks.map((b) => [b.mode, b.code, b.reason]),
      [
        ['run', 'kubectl get pods', undefined],
        ['skip-sandbox', 'ssh node1', 'needs a real node'],
        ['show', 'a: 1', undefined],
      ],
    );
  });

  test('code inside a block is escaped', () => {
    const { html } = renderLesson('```\n<b>x</b>\n```\n');
    assert.ok(html.includes('&lt;b&gt;'));
  });
});

describe('parseInfoString', () => {
  test('a skip-sandbox block without a reason still says why it is skipped', () => {
    assert.deepEqual(parseInfoString('bash skip-sandbox'), {
      lang: 'bash',
      mode: 'skip-sandbox',
      reason: 'not runnable on the sandbox',
      clusterAdmin: false,
    });
  });

  test('an interactive block is told apart from one the sandbox cannot run, and neither is run', () => {
    assert.deepEqual(parseInfoString('bash interactive reason="runs until you press Ctrl-C"'), {
      lang: 'bash',
      mode: 'interactive',
      reason: 'runs until you press Ctrl-C',
      clusterAdmin: false,
    });
    const html = renderLesson('```bash interactive reason="waits for you"\nkubectl get pods -w\n```\n').html;
    assert.match(html, /data-mode="interactive"/);
    assert.match(html, /<strong>By hand \(works on the sandbox too\):<\/strong> waits for you/);
  });

  test('the cluster-admin attribute goes with any mode, and the word inside a reason is not it', () => {
    assert.deepEqual(parseInfoString('bash run cluster-admin'), { lang: 'bash', mode: 'run', clusterAdmin: true });
    assert.deepEqual(parseInfoString('bash skip-sandbox cluster-admin reason="a real node"'), {
      lang: 'bash',
      mode: 'skip-sandbox',
      reason: 'a real node',
      clusterAdmin: true,
    });
    assert.equal(parseInfoString('bash interactive reason="asks cluster-admin rights"').clusterAdmin, false);
    assert.equal(parseInfoString('bash run').clusterAdmin, false);
    const html = renderLesson('```bash run cluster-admin\nkubectl cordon node-1\n```\n\n```bash run\nkubectl get pods\n```\n').html;
    assert.match(html, /data-block="0" data-mode="run" data-cluster-admin="">/);
    assert.match(html, /data-block="1" data-mode="run">/);
  });

  test('a bash block without "run" is shown only', () => {
    assert.equal(parseInfoString('bash').mode, 'show');
    assert.equal(parseInfoString('sh run').mode, 'show');
  });

  test("the renderer's own words follow the lesson's language", () => {
    const md = '```bash skip-sandbox reason="sur un vrai nœud"\nssh node1\n```\n';
    const fr = renderLesson(md, 'fr').html;
    assert.match(fr, /class="copy-button" data-copy="0">Copier<\/button>/);
    assert.match(fr, /<strong>Pas sur le bac à sable :<\/strong> sur un vrai nœud/);
    const ru = renderLesson(md.replace('sur un vrai nœud', 'на настоящем узле'), 'ru').html;
    assert.match(ru, /<strong>Не для песочницы:<\/strong> на настоящем узле/);
    assert.match(ru, />Копировать<\/button>/);
    assert.match(renderLesson(md).html, />Copy<\/button>/);
    assert.match(renderLesson(md, 'de').html, /<strong>Not on the sandbox:<\/strong>/);
  });
});

describe('renderLesson in a workshop room', () => {
  const md = 'Apply `kubectl apply -f steps/step-04-pods/hello-world.yaml`:\n\n```bash run\nkubectl apply -f steps/step-04-pods/hello-world.yaml\nkubectl get pods\n```\n';

  test('commands naming a manifest in steps/ name it by the room URL, in blocks and inline code', () => {
    const { html, blocks } = renderLesson(md, 'en', { stepsBaseUrl: 'http://10.0.0.5:8080' });
    assert.equal(blocks[0]?.code, 'kubectl apply -f http://10.0.0.5:8080/steps/step-04-pods/hello-world.yaml\nkubectl get pods');
    assert.match(html, /<code>kubectl apply -f http:\/\/10\.0\.0\.5:8080\/steps\/step-04-pods\/hello-world\.yaml<\/code>/);
    assert.ok(!html.includes('-f steps/'), html);
  });

  test('outside a room the commands keep the repository path', () => {
    const { html, blocks } = renderLesson(md, 'en');
    assert.equal(blocks[0]?.code, 'kubectl apply -f steps/step-04-pods/hello-world.yaml\nkubectl get pods');
    assert.match(html, /<code>kubectl apply -f steps\/step-04-pods\/hello-world\.yaml<\/code>/);
  });
});
