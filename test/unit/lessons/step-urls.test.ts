import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stepFilesByUrl } from '../../../server/lessons/step-urls.ts';

const base = 'http://10.0.0.5:8080/';

describe('step files by URL', () => {
  test('every -f naming a manifest in steps/ names it by the room URL', () => {
    const code = [
      'kubectl apply -f steps/step-04-pods/hello-world.yaml',
      'kubectl delete -f ./steps/step-04-pods/broken.yaml --wait=false',
      'kubectl apply --filename=steps/step-08-scaling/hello-hpa.yml && kubectl get hpa',
      'kubectl diff -f steps/step-06-services/backend.yaml|head',
    ].join('\n');
    assert.equal(
      stepFilesByUrl(code, base),
      [
        'kubectl apply -f http://10.0.0.5:8080/steps/step-04-pods/hello-world.yaml',
        'kubectl delete -f http://10.0.0.5:8080/steps/step-04-pods/broken.yaml --wait=false',
        'kubectl apply --filename=http://10.0.0.5:8080/steps/step-08-scaling/hello-hpa.yml && kubectl get hpa',
        'kubectl diff -f http://10.0.0.5:8080/steps/step-06-services/backend.yaml|head',
      ].join('\n'),
    );
  });

  test('uses of steps/ that cannot take a URL, and other paths, stay as written', () => {
    const code = [
      'kubectl create configmap game-config --from-file=steps/step-11-configuration/game.properties',
      'cp steps/step-17-kube-wars/{bare-pod,pdb}.yaml my-fleet/',
      'kubectl apply -f my-fleet/pdb.yaml',
      'kubectl apply -f steps/step-17-kube-wars/',
      'kubectl apply -f othersteps/x.yaml',
    ].join('\n');
    assert.equal(stepFilesByUrl(code, base), code);
  });
});
