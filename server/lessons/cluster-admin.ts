import type { Check, CheckResult } from './checks.ts';
import type { LessonSource, StepFiles } from './loader.ts';
import type { RoomKind } from './room.ts';

/**
 * The ids of the step's checks the lesson marks as needing cluster-admin (front matter `clusterAdminChecks`).
 * A mark naming a check the step does not have is a mistake in the lesson: said with both files.
 */
export function clusterAdminChecks(lesson: LessonSource, step: StepFiles): string[] {
  const known = new Set(step.checks.map((c) => c.id));
  const unknown = lesson.meta.clusterAdminChecks.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `lessons/${lesson.lang}/${lesson.slug}.md: clusterAdminChecks names ${unknown.map((id) => `"${id}"`).join(', ')}, ` +
        `which steps/${step.folder}/checks.yaml does not have (its checks: ${[...known].join(', ')})`,
    );
  }
  return lesson.meta.clusterAdminChecks;
}

/**
 * Which checks an attendee's "Check my work" runs: all of them, except in a namespace room, where the ones that need
 * cluster-admin are the instructor's (the attendee's token could not pass them) and are only named.
 */
export function checksToRun(
  checks: Check[],
  marked: readonly string[],
  kind: RoomKind | undefined,
): { run: Check[]; instructorShows: string[] } {
  if (kind !== 'namespace') return { run: checks, instructorShows: [] };
  return {
    run: checks.filter((c) => !marked.includes(c.id)),
    instructorShows: checks.filter((c) => marked.includes(c.id)).map((c) => c.id),
  };
}

/**
 * A step is complete when every check run passed; a step whose checks are all the instructor's is complete as soon as
 * the attendee checks it (nothing of theirs is left to pass). A step without checks never is.
 */
export function stepComplete(stepChecks: number, results: readonly CheckResult[]): boolean {
  return stepChecks > 0 && results.every((r) => r.passed);
}
