// Every container image the course runs, read from the lessons and steps themselves so the list `cluster prefetch`
// pulls cannot drift from what attendees type: the `image:` fields of the manifests, the `kubectl run/create
// --image=` and `kubectl set image` commands, the game's fleets, and the add-on manifests prefetch keeps.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The image the game's fleets run (game/player/fleet.ts, vagrant/addons/game/). */
export const GAME_IMAGES = ['docker.io/library/nginx:1.27'];

/** Tags a lesson uses on purpose to show a failed pull (ErrImagePull, a rollout to undo): never pulled. */
const UNPULLABLE_TAGS = new Set(['doesnotexist']);

const IMAGE_PATTERNS = [
  // `image: nginx:1.27` in manifests, and checks on a containers[…].image field.
  /\bimage:\s*["']?([^\s"'#,]+)/g,
  // `kubectl run x --image=nginx:1.27`, `kubectl create deployment web --image nginx:1.27`.
  /--image[= ]["']?([^\s"'`]+)/g,
  // `kubectl set image deployment/web web=nginx:1.28 sidecar=busybox:1.36`.
  /\bset image \S+((?: [\w-]+=[^\s`]+)+)/g,
];

/** An image reference: registry/path in lower case, an optional tag, an optional digest. */
const REFERENCE = /^[a-z0-9][a-z0-9._/:-]*?(?::[\w][\w.-]*)?(?:@sha256:[a-f0-9]{64})?$/;

/** `nginx:1.27` → `docker.io/library/nginx:1.27`, the name containerd stores (and crictl pulls) it under. */
export function qualifiedImage(reference: string): string {
  const [first = '', ...rest] = reference.split('/');
  const hasRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return reference;
  return rest.length === 0 ? `docker.io/library/${reference}` : `docker.io/${reference}`;
}

/** The image references a text names, as written. */
export function imagesIn(text: string): string[] {
  const found: string[] = [];
  for (const pattern of IMAGE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const captured = match[1] ?? '';
      found.push(...(captured.startsWith(' ') ? captured.trim().split(' ').map((pair) => pair.split('=')[1]!) : [captured]));
    }
  }
  // Placeholders such as `--image=IMAGE` are not references: those are lower-case.
  return found.filter((reference) => REFERENCE.test(reference));
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return filesUnder(path, keep);
      return keep(name) ? [path] : [];
    });
}

/** Sorted, qualified, without duplicates or the deliberately unpullable ones. */
export function pullList(references: readonly string[]): string[] {
  const pullable = references.filter((reference) => !UNPULLABLE_TAGS.has(reference.split(':').at(-1) ?? ''));
  return [...new Set(pullable.map(qualifiedImage))].sort();
}

/** The images of the English lessons, the steps' manifests and texts, and the game (`root` is the project). */
export function courseImages(root: string): string[] {
  const texts = [
    ...filesUnder(join(root, 'lessons', 'en'), (name) => name.endsWith('.md')),
    ...filesUnder(join(root, 'steps'), (name) => /\.(ya?ml|md)$/.test(name)),
    ...filesUnder(join(root, 'vagrant', 'addons'), (name) => /\.ya?ml$/.test(name)),
  ].map((path) => readFileSync(path, 'utf8'));
  return pullList([...texts.flatMap(imagesIn), ...GAME_IMAGES]);
}
