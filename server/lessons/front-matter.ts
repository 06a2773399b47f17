import { parse } from 'yaml';
import { z } from 'zod';

const frontMatterSchema = z.object({
  title: z.string().min(1),
  step: z.string().regex(/^step-\d+-[a-z0-9-]+$/),
  duration: z.number().positive(),
  objectives: z.array(z.string()).default([]),
  /**
   * Ids of the step's checks that need cluster-admin rights to pass (a node labelled, a namespace created…): in a
   * namespace room (issue 14) the instructor shows them, and an attendee's progress does not wait for them.
   */
  clusterAdminChecks: z
    .array(z.string().min(1))
    .default([])
    .refine((ids) => new Set(ids).size === ids.length, { message: 'names a check twice' }),
});

export type LessonFrontMatter = z.infer<typeof frontMatterSchema>;

/** Splits a lesson file into its YAML front matter and Markdown body; `source` names the file in errors. */
export function parseFrontMatter(text: string, source: string): { meta: LessonFrontMatter; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${source}: missing front matter (start the file with --- title/step/duration ---)`);
  const result = frontMatterSchema.safeParse(parse(match[1] ?? ''));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${source}: front matter field "${issue?.path.join('.')}" ${issue?.message ?? 'is invalid'}`);
  }
  return { meta: result.data, body: match[2] ?? '' };
}
