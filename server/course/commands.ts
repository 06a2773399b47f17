// `kubewars course rehearse`: the CLI face of the rehearsal (server/course/rehearse.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { loadKubeConfig } from '../cluster.ts';
import { listLanguages } from '../lessons/loader.ts';
import { rehearseCourse } from './rehearse.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

function parseLessonNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a lesson number such as 5.');
  return number;
}

export function registerCourseCommands(program: Command): void {
  const course = program.command('course').description('the course as a whole, for the instructor');
  course
    .command('rehearse')
    .description(
      "run every lesson's commands and checks in order against your cluster, the day before the workshop; " +
        'prints what the cluster lacks, one line per lesson and a JSON summary, then cleans up',
    )
    .option('--lang <lang>', `the lessons' language (${listLanguages(projectRoot).join(', ')})`, 'en')
    .option('--kubeconfig <path>', 'the cluster (default: KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', "the kubeconfig's context (default: its current one)")
    .option('--from <number>', 'first lesson to run', parseLessonNumber)
    .option('--to <number>', 'last lesson to run', parseLessonNumber)
    .action(
      async (options: {
        lang: string;
        kubeconfig?: string;
        context?: string;
        from?: number;
        to?: number;
      }) => {
        if (!listLanguages(projectRoot).includes(options.lang)) {
          throw new InvalidArgumentError(
            `no lessons in "${options.lang}": choose one of ${listLanguages(projectRoot).join(', ')}.`,
          );
        }
        const workDir = mkdtempSync(join(tmpdir(), 'kubewars-rehearsal-'));
        try {
          const summary = await rehearseCourse({
            kubeConfig: loadKubeConfig({ path: options.kubeconfig, context: options.context }),
            projectRoot,
            lang: options.lang,
            ...(options.from !== undefined ? { from: options.from } : {}),
            ...(options.to !== undefined ? { to: options.to } : {}),
            env: process.env,
            workDir,
            write: (line) => process.stdout.write(`${line}\n`),
          });
          process.exitCode = summary.failed > 0 ? 1 : 0;
        } finally {
          rmSync(workDir, { recursive: true, force: true });
        }
      },
    );
}
