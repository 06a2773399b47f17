import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { courseImages, GAME_IMAGES, imagesIn, qualifiedImage } from '../../../server/vagrant/course-images.ts';
import { CONTOUR_VERSION, LOCAL_PATH_VERSION, METRICS_SERVER_VERSION } from '../../../server/vagrant/prefetch.ts';
import { projectRoot } from '../../support/kubewars.ts';

function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textFiles(path);
    return /\.(md|ya?ml)$/.test(name) ? [path] : [];
  });
}

/**
 * A second, cruder reading: every `name:tag` word on any line that mentions an image, in every language's lessons
 * and every step. What it finds and the pull list lacks is an image an offline room could not start.
 */
function imageWordsAnywhere(): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of [...textFiles(join(projectRoot, 'lessons')), ...textFiles(join(projectRoot, 'steps'))]) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!/image/i.test(line)) continue;
      for (const word of line.split(/[\s=`'"(),]+/)) {
        // An address and port (`127.0.0.1:2379`, etcd's in lesson 16) is not an image.
        const address = /^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(word);
        if (/^[a-z0-9][a-z0-9./-]*:[a-z0-9][\w.-]*$/i.test(word) && !word.includes('://') && !address)
          found.set(word, path);
      }
    }
  }
  return found;
}

describe('the images the course uses', () => {
  const images = courseImages(projectRoot);

  test('include what the lessons run, qualified as containerd stores them', () => {
    for (const image of [
      'docker.io/library/busybox:1.36',
      'docker.io/library/nginx:1.27',
      'docker.io/library/nginx:1.28',
      'docker.io/hashicorp/http-echo:1.0',
    ]) {
      assert.ok(images.includes(image), `${image} missing from ${images.join(', ')}`);
    }
  });

  test('every image word in any lesson or step is pulled, except the one meant to fail', () => {
    const words = imageWordsAnywhere();
    assert.ok(words.size >= 4, 'the scan finds the course images');
    for (const [word, path] of words) {
      if (word.endsWith(':doesnotexist')) continue;
      assert.ok(images.includes(qualifiedImage(word)), `${word} (${path}) is not in the pull list`);
    }
    assert.ok(!images.some((image) => image.endsWith(':doesnotexist')));
  });

  test("the game's fleets run an image of the list", () => {
    const fleet = readFileSync(join(projectRoot, 'game', 'player', 'fleet.ts'), 'utf8');
    assert.deepEqual(imagesIn(fleet).map(qualifiedImage), GAME_IMAGES);
  });

  test('commands and manifests are read in every form the lessons use', () => {
    assert.deepEqual(
      imagesIn(
        [
          'kubectl run tmp --rm -it --image=busybox:1.36 --restart=Never',
          'kubectl create deployment web --image nginx:1.27',
          'kubectl set image deployment/web web=nginx:1.28 side=hashicorp/http-echo:1.0',
          '      image: "registry.k8s.io/pause:3.10"',
          '`kubectl run NAME --image=IMAGE`',
        ].join('\n'),
      ).sort(),
      ['busybox:1.36', 'hashicorp/http-echo:1.0', 'nginx:1.27', 'nginx:1.28', 'registry.k8s.io/pause:3.10'],
    );
  });

  test('short names are qualified like Docker Hub does', () => {
    assert.equal(qualifiedImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
    assert.equal(qualifiedImage('hashicorp/http-echo:1.0'), 'docker.io/hashicorp/http-echo:1.0');
    assert.equal(qualifiedImage('ghcr.io/flannel-io/flannel:v0.27.4'), 'ghcr.io/flannel-io/flannel:v0.27.4');
    assert.equal(qualifiedImage('localhost:5000/app:1'), 'localhost:5000/app:1');
  });

  test('prefetch keeps the add-on releases addons.sh installs', () => {
    const addons = readFileSync(join(projectRoot, 'vagrant', 'scripts', 'addons.sh'), 'utf8');
    assert.match(addons, new RegExp(`^LOCAL_PATH_VERSION=${LOCAL_PATH_VERSION}$`, 'm'));
    assert.match(addons, new RegExp(`^CONTOUR_VERSION=${CONTOUR_VERSION}$`, 'm'));
    assert.match(addons, new RegExp(`^METRICS_SERVER_VERSION=${METRICS_SERVER_VERSION}$`, 'm'));
  });
});
