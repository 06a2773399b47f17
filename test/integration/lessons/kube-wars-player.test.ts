// Lesson 17 as a learner with their own pilot name plays it: copy the sample fleets, rename them with the lesson's
// own perl -pi, apply the copies; "Check my work" for that pilot must then pass, and the renamed bare pod must stay
// outside the ReplicationController (adopted, it would come back when shot).
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';
import { projectRoot, runBlocksThenCheck } from './sandbox-run.ts';

const learnerDir = mkdtempSync(join(tmpdir(), 'kubewars-kube-wars-player-'));
symlinkSync(join(projectRoot, 'steps'), join(learnerDir, 'steps'));
after(() => rmSync(learnerDir, { recursive: true, force: true }));

// Every language whose lesson 17 is written (an English fallback is the en run again).
const languages = listLanguages(projectRoot).filter(
  (lang) => loadCourse(projectRoot, lang).find((l) => l.meta.step === 'step-17-kube-wars')?.lang === lang,
);

for (const lang of languages) {
  test(`a pilot who renames the lesson 17 fleets (${lang}) passes the checks under their own name`, async (t) => {
    const lesson = loadCourse(projectRoot, lang).find((l) => l.meta.step === 'step-17-kube-wars');
    assert.ok(lesson, 'no lesson for step 17');
    const rename = renderLesson(lesson.body).blocks.find((b) => b.code.includes('my-fleet/') && b.code.includes('perl -pi'));
    assert.ok(rename, `lessons/${lang}/${lesson.slug}.md lost the block that renames the sample fleets`);
    const dir = `my-fleet-${lang}`;
    await runBlocksThenCheck(t, {
      source: `lessons/${lang}/${lesson.slug}.md renamed for rey`,
      namespace: 'kube-wars',
      cwd: learnerDir,
      step: loadStep(projectRoot, 'step-17-kube-wars', lang),
      lang,
      player: 'rey',
      blocks: [
        { lang: 'bash', mode: 'run', clusterAdmin: false, code: rename.code.replaceAll('yourname', 'rey').replaceAll('my-fleet', dir) },
        {
          lang: 'bash',
          mode: 'run',
          clusterAdmin: false,
          code: `kubectl apply -f ${dir}/
kubectl wait --for=condition=Ready pod/rey-falcon --timeout=90s
timeout 90 bash -c 'until [ "$(kubectl get pods -l player=rey,fleet=rc -o name | wc -l)" -eq 3 ]; do sleep 1; done'
kubectl wait --for=condition=Ready pods -l player=rey,fleet=rc --timeout=90s
test -z "$(kubectl get pod rey-falcon -o jsonpath='{.metadata.ownerReferences}')"
kubectl delete pod rey-falcon
kubectl rollout status deployment/rey-fleet --timeout=120s`,
        },
      ],
    });
  });
}
