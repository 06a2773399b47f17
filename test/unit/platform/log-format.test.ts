// Log lines for people in a terminal, JSON lines for collectors: chosen by --log-format (or KUBEWARS_LOG_FORMAT),
// else by whether stdout is a terminal. Run in child processes, because the format is chosen per process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify, stripVTControlCharacters } from 'node:util';
import { projectRoot } from '../../support/kubewars.ts';

const run = promisify(execFile);
const logModule = join(projectRoot, 'server/log.ts');

async function logOnce(format: 'json' | 'pretty' | 'default'): Promise<string> {
  const choose = format === 'default' ? '' : `log.setLogFormat('${format}');`;
  const script = `const log = await import(${JSON.stringify(logModule)}); ${choose} log.logger.info({ shot: 7 }, 'game shot hit');`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot,
    env: { ...process.env, KUBEWARS_LOG_LEVEL: 'info' },
  });
  return stdout.trim();
}

test('json: one JSON object per line with the level, time, message and fields', async () => {
  const line = JSON.parse(await logOnce('json')) as Record<string, unknown>;
  assert.equal(line.msg, 'game shot hit');
  assert.equal(line.shot, 7);
  assert.equal(line.level, 30);
  assert.equal(typeof line.time, 'number');
});

test('pretty: a line for people, not JSON', async () => {
  // Coloured for a terminal: compare the text without its colour codes.
  const out = stripVTControlCharacters(await logOnce('pretty'));
  assert.match(out, /INFO.*game shot hit/);
  assert.match(out, /shot: 7/);
  assert.throws(() => JSON.parse(out));
});

test('without a choice, output that is not a terminal (a pipe, a container log) gets JSON', async () => {
  assert.equal((JSON.parse(await logOnce('default')) as { msg: string }).msg, 'game shot hit');
});
