import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { stateSaver, writeState } from '../../../server/sandbox/state-file.ts';
import { CONFIGMAPS, newRegistry } from './support.ts';

const secretish = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'creds' },
  data: { password: 'hunter2' },
};

describe('the --state file', () => {
  it('is written readable by its owner only (it holds Secrets), even over a temp file a crash left behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewars-state-'));
    const path = join(dir, 'state.json');
    writeFileSync(`${path}.${process.pid}.tmp`, 'left by a crash', { mode: 0o644 });
    const { registry } = newRegistry();
    registry.create(CONFIGMAPS, 'default', secretish);
    writeState(registry, path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, 'utf8'), /hunter2/);
  });

  it('a periodic save that cannot write is logged once and retried, never thrown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewars-state-'));
    // A file where the state's folder should be: every write fails, as on a full disk.
    writeFileSync(join(dir, 'blocked'), '');
    const path = join(dir, 'blocked', 'state.json');
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const { registry } = newRegistry();
    const save = stateSaver(registry, path, log);
    registry.create(CONFIGMAPS, 'default', secretish);
    assert.doesNotThrow(save);
    assert.doesNotThrow(save);
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg.split(' (')[0]]),
      [[50, 'could not save the sandbox state']],
    );
  });
});
