import { checkWork, fetchIndex, fetchLesson, fetchStepsDone, type LessonPage, type StepsDone } from './api.ts';
import { el, wireCopyButtons } from './dom.ts';

const playerKey = 'kubewars.player';
const languageKey = 'kubewars.lang';
const content = document.getElementById('content') as HTMLElement;
const languageSelect = document.getElementById('language') as HTMLSelectElement;

function route(): { lang: string; slug?: string } {
  const [, , lang, slug] = location.pathname.split('/');
  return { lang: lang || localStorage.getItem(languageKey) || 'en', slug: slug || undefined };
}

function fillLanguages(languages: string[], current: string, onChange: (lang: string) => void): void {
  languageSelect.replaceChildren(...languages.map((l) => el('option', { value: l }, l.toUpperCase())));
  languageSelect.value = current;
  languageSelect.onchange = () => {
    localStorage.setItem(languageKey, languageSelect.value);
    onChange(languageSelect.value);
  };
}

async function showIndex(lang: string): Promise<void> {
  const player = localStorage.getItem(playerKey);
  const [index, done] = await Promise.all([fetchIndex(), player ? fetchStepsDone(player) : ({} as StepsDone)]);
  fillLanguages(index.languages, lang, (l) => void showIndex(l));
  const list = el('ol', { class: 'course', 'data-testid': 'course' });
  for (const lesson of index.courses[lang] ?? index.courses.en ?? []) {
    const item = el('li', { 'data-step': lesson.step });
    item.append(el('a', { href: `/lessons/${lang}/${lesson.slug}` }, lesson.title), el('span', {}, ` ${lesson.duration} min`));
    if (done[lesson.step]) item.append(el('span', { class: 'done', 'data-testid': 'done' }, ' ✓'));
    list.append(item);
  }
  content.replaceChildren(el('h2', {}, player ? `Course for ${player}` : 'Course'), list);
}

function disclosure(summary: string, html: string | null): HTMLElement[] {
  if (html === null) return [];
  const details = el('details', { class: 'disclosure' });
  const body = el('div');
  body.innerHTML = html; // rendered server-side by renderLesson(): raw HTML escaped
  details.append(el('summary', {}, summary), body);
  return [details];
}

function manifestsSection(lesson: LessonPage): HTMLElement[] {
  if (lesson.manifests.length === 0) return [];
  const section = el('section', { class: 'manifests' });
  section.append(el('h2', {}, 'Manifests'));
  for (const m of lesson.manifests) {
    const block = el('div', { class: 'code-block' });
    block.append(el('button', { type: 'button', class: 'copy-button' }, 'Copy'), el('pre'));
    block.querySelector('pre')?.append(el('code', {}, m.text));
    const heading = el('h3');
    heading.append(el('a', { href: m.url, download: m.name }, m.name));
    section.append(heading, block);
  }
  return [section];
}

function checkSection(lesson: LessonPage, defaultNamespace: string): HTMLElement {
  const form = el('form', { class: 'check', 'data-testid': 'check-form' });
  const namespace = el('input', { name: 'namespace', value: defaultNamespace, 'data-testid': 'namespace' });
  const player = localStorage.getItem(playerKey) ?? '';
  const results = el('ul', { class: 'results', 'data-testid': 'check-results' });
  const label = el('label', {}, 'Namespace ');
  label.append(namespace);
  form.append(
    el('h2', {}, 'Check my work'),
    label,
    el('p', {}, player ? `Progress saved for ${player}.` : 'Choose a pilot name on the player page to save progress.'),
    el('button', { type: 'submit', 'data-testid': 'check-button' }, 'Check my work'),
    results,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    results.replaceChildren(el('li', {}, 'Checking…'));
    checkWork(lesson.slug, { namespace: namespace.value.trim(), player: player || undefined, lang: lesson.lang })
      .then((response) => {
        results.dataset.complete = String(response.complete);
        results.replaceChildren(
          ...response.results.map((r) =>
            el('li', { class: r.passed ? 'pass' : 'fail', 'data-check': r.id }, `${r.passed ? '✓' : '✗'} ${r.id}${r.passed ? '' : `: ${r.message} (${r.detail})`}`),
          ),
          el('li', { class: 'summary' }, response.complete ? 'Step complete!' : 'Not yet: fix the failing checks and try again.'),
        );
      })
      .catch((error: Error) => results.replaceChildren(el('li', { class: 'fail' }, error.message)));
  });
  return form;
}

async function showLesson(lang: string, slug: string): Promise<void> {
  const [lesson, index] = await Promise.all([fetchLesson(lang, slug), fetchIndex()]);
  fillLanguages(lesson.languages, lang, (l) => {
    history.pushState(null, '', `/lessons/${l}/${lesson.slug}`);
    void render();
  });
  document.title = `Kube Wars — ${lesson.title}`;
  const article = el('article', { class: 'lesson', 'data-testid': 'lesson', lang: lesson.lang });
  article.innerHTML = lesson.html; // rendered server-side by renderLesson(): raw HTML escaped
  const objectives = el('ul', { class: 'objectives' });
  objectives.append(...lesson.objectives.map((o) => el('li', {}, o)));
  const nav = el('nav', { class: 'prev-next' });
  if (lesson.previous) nav.append(el('a', { href: `/lessons/${lang}/${lesson.previous.slug}`, rel: 'prev' }, `← ${lesson.previous.title}`));
  if (lesson.next) nav.append(el('a', { href: `/lessons/${lang}/${lesson.next.slug}`, rel: 'next' }, `${lesson.next.title} →`));
  content.replaceChildren(
    el('h1', {}, lesson.title),
    el('p', { class: 'duration' }, `${lesson.duration} min`),
    objectives,
    article,
    ...manifestsSection(lesson),
    ...disclosure('Hint', lesson.hintHtml),
    ...disclosure('Solution', lesson.solutionHtml),
    checkSection(lesson, index.defaultNamespace),
    nav,
  );
}

async function render(): Promise<void> {
  const { lang, slug } = route();
  try {
    await (slug ? showLesson(lang, slug) : showIndex(lang));
  } catch (error) {
    content.replaceChildren(el('p', { class: 'error' }, (error as Error).message));
  }
}

wireCopyButtons(content);
window.addEventListener('popstate', () => void render());
void render();
