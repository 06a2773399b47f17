import 'highlight.js/styles/github-dark.css';
import { viewerStrings, type ViewerStrings } from '../../server/lessons/strings.ts';
import { savedAttendee } from '../player/attendee.ts';
import { checkWork, fetchIndex, fetchLesson, fetchStepsDone, type CheckResponse, type LessonIndex, type LessonPage, type StepsDone } from './api.ts';
import { el, wireCopyButtons } from './dom.ts';
import { LANGUAGE_KEY, pickLanguage } from '../i18n/language.ts';
import { PAGE_TABLES } from '../i18n/page-strings.ts';

const playerKey = 'kubewars.player';
// The choice every page shares (game/i18n): one switch on any page serves them all.
const languageKey = LANGUAGE_KEY;
const content = document.getElementById('content') as HTMLElement;
const languageSelect = document.getElementById('language') as HTMLSelectElement;
// The words of the language on screen; set by setLanguage() before anything is drawn.
let words: ViewerStrings = viewerStrings('en');

/** Puts the page in `lang`: <html lang>, the masthead's words and the table every later label comes from. */
function setLanguage(lang: string): void {
  words = viewerStrings(lang);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) {
    const key = node.dataset.text as keyof ViewerStrings;
    const value = words[key];
    if (typeof value === 'string') node.textContent = value;
  }
}

/**
 * Who is learning: in a room, the attendee this browser joined as on the player page (their key goes with checks);
 * elsewhere, the pilot name chosen there. No name: progress is not saved (and, in a room, checks cannot run).
 */
function learner(room: boolean): { name?: string; key?: string } {
  if (room) return savedAttendee(localStorage) ?? {};
  return { name: localStorage.getItem(playerKey) ?? undefined };
}

function route(): { lang: string; slug?: string } {
  const [, , lang, slug] = location.pathname.split('/');
  // Without a language in the path: the saved choice, else the browser's languages, else English.
  return { lang: lang || pickLanguage(localStorage.getItem(languageKey), navigator.languages), slug: slug || undefined };
}

function fillLanguages(languages: string[], current: string, onChange: (lang: string) => void): void {
  // Each language by its own name, as the other pages' switches show it; a course language without a page table by code.
  const name = (l: string) => (PAGE_TABLES as Record<string, { languageName: string } | undefined>)[l]?.languageName;
  languageSelect.replaceChildren(
    ...languages.map((l) => el('option', { value: l, lang: l }, name(l) ?? l.toUpperCase())),
  );
  languageSelect.value = current;
  languageSelect.onchange = () => {
    localStorage.setItem(languageKey, languageSelect.value);
    onChange(languageSelect.value);
  };
}

async function showIndex(lang: string): Promise<void> {
  const index = await fetchIndex();
  const player = learner(index.room).name;
  const done = player ? await fetchStepsDone(player) : ({} as StepsDone);
  fillLanguages(index.languages, lang, (l) => void showIndex(l));
  const list = el('ol', { class: 'course', 'data-testid': 'course' });
  for (const lesson of index.courses[lang] ?? index.courses.en ?? []) {
    const item = el('li', { 'data-step': lesson.step });
    item.append(el('a', { href: `/lessons/${lang}/${lesson.slug}` }, lesson.title), el('span', {}, ` ${words.minutes(lesson.duration)}`));
    if (lesson.lang !== lang) item.append(el('span', { class: 'fallback', lang: 'en' }, ` (${words.inEnglish})`));
    if (done[lesson.step]) item.append(el('span', { class: 'done', 'data-testid': 'done' }, ' ✓'));
    list.append(item);
  }
  content.replaceChildren(el('h2', {}, player ? words.courseFor(player) : words.course), list);
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
  section.append(el('h2', {}, words.manifests));
  for (const m of lesson.manifests) {
    const block = el('div', { class: 'code-block' });
    const code = el('code', { class: 'hljs language-yaml' });
    code.innerHTML = m.html; // highlighted server-side by highlight.js: the manifest's text is escaped
    block.append(el('button', { type: 'button', class: 'copy-button' }, words.copy), el('pre'));
    block.querySelector('pre')?.append(code);
    const heading = el('h3');
    heading.append(el('a', { href: m.url, download: m.name }, m.name));
    section.append(heading, block);
  }
  return [section];
}

function checkSection(lesson: LessonPage, index: LessonIndex): HTMLElement {
  const form = el('form', { class: 'check', 'data-testid': 'check-form' });
  // In a namespace room the attendee's kubeconfig names their namespace: the server checks there, nothing to choose.
  const namespaceRoom = index.roomKind === 'namespace';
  const namespace = el('input', { name: 'namespace', value: index.defaultNamespace, 'data-testid': 'namespace' });
  const { name: player, key } = learner(index.room);
  // In a room a check runs in the attendee's own cluster: without having joined there is none to run in.
  const mustJoin = index.room && key === undefined;
  const results = el('ul', { class: 'results', 'data-testid': 'check-results' });
  const label = el('label', {}, `${words.namespace} `);
  label.append(namespace);
  const where = namespaceRoom ? el('p', { 'data-testid': 'own-namespace' }, words.ownNamespace) : label;
  const button = el('button', { type: 'submit', 'data-testid': 'check-button' }, words.checkMyWork);
  button.disabled = mustJoin;
  const who = mustJoin ? words.joinRoomFirst : player ? words.progressSavedFor(player) : words.chooseName;
  form.append(el('h2', {}, words.checkMyWork), where, el('p', { 'data-testid': 'check-who' }, who), button, results);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    results.replaceChildren(el('li', {}, words.checking));
    const body = { namespace: namespaceRoom ? undefined : namespace.value.trim(), player, lang: lesson.requestedLang };
    checkWork(lesson.slug, body, key)
      .then((response) => {
        results.dataset.complete = String(response.complete);
        results.replaceChildren(
          ...response.results.map((r) =>
            el('li', { class: r.passed ? 'pass' : 'fail', 'data-check': r.id }, `${r.passed ? '✓' : '✗'} ${r.id}${r.passed ? '' : `: ${r.message} (${r.detail})`}`),
          ),
          ...instructorChecks(response.instructorShows),
          el('li', { class: 'summary' }, verdict(response, player)),
        );
      })
      .catch((error: Error) => results.replaceChildren(el('li', { class: 'fail' }, error.message)));
  });
  if (namespaceRoom) results.append(...instructorChecks(lesson.clusterAdminChecks));
  return form;
}

/** The checks the instructor shows (namespace room): named, so the attendee knows they are not left to do. */
function instructorChecks(ids: string[]): HTMLElement[] {
  return ids.map((id) => el('li', { class: 'instructor', 'data-check': id }, `– ${id}: ${words.instructorCheck}`));
}

/** In a namespace room, each block that needs cluster-admin says the instructor shows it (the server marks them all). */
function markInstructorBlocks(article: HTMLElement): void {
  for (const block of article.querySelectorAll<HTMLElement>('.code-block[data-cluster-admin]')) {
    block.dataset.instructor = '';
    const note = el('p', { class: 'block-note instructor-note', 'data-testid': 'instructor-shows' });
    note.append(el('strong', {}, words.instructorShows), ` ${words.needsClusterAdmin}`);
    block.prepend(note);
  }
}

/** The verdict's last line; a completion the server could not save is said, so the learner can tell the instructor. */
function verdict(response: CheckResponse, player: string | undefined): string {
  if (!response.complete) return words.notYet;
  return response.saved || player === undefined ? words.stepComplete : words.progressNotSaved;
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
  if (index.roomKind === 'namespace') markInstructorBlocks(article);
  const objectives = el('ul', { class: 'objectives' });
  objectives.append(...lesson.objectives.map((o) => el('li', {}, o)));
  const nav = el('nav', { class: 'prev-next' });
  if (lesson.previous) nav.append(el('a', { href: `/lessons/${lang}/${lesson.previous.slug}`, rel: 'prev' }, `← ${lesson.previous.title}`));
  if (lesson.next) nav.append(el('a', { href: `/lessons/${lang}/${lesson.next.slug}`, rel: 'next' }, `${lesson.next.title} →`));
  const fallback =
    lesson.lang === lesson.requestedLang ? [] : [el('p', { class: 'fallback-notice', 'data-testid': 'fallback-notice' }, words.fallbackNotice)];
  content.replaceChildren(
    el('h1', {}, lesson.title),
    ...fallback,
    el('p', { class: 'duration' }, words.minutes(lesson.duration)),
    objectives,
    article,
    ...manifestsSection(lesson),
    ...disclosure(words.hint, lesson.hintHtml),
    ...disclosure(words.solution, lesson.solutionHtml),
    checkSection(lesson, index),
    nav,
  );
}

async function render(): Promise<void> {
  const { lang, slug } = route();
  setLanguage(lang);
  try {
    await (slug ? showLesson(lang, slug) : showIndex(lang));
  } catch (error) {
    content.replaceChildren(el('p', { class: 'error' }, (error as Error).message));
  }
}

wireCopyButtons(content, () => words);
window.addEventListener('popstate', () => void render());
void render();
