import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  claimDataDir,
  currentOwner,
  LOCK_FILE,
  processStart,
} from '../../../../server/game/store/data-dir-lock.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'kubewars-lock-'));
const holdBy = (dir: string, owner: object) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify(owner));

describe('the data directory lock', () => {
  it('is a file created exclusively that records the host, the pid and the start time, removed on release', () => {
    const dir = freshDir();
    const release = claimDataDir(dir);
    const recorded = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(recorded.pid, process.pid);
    assert.equal(typeof recorded.host, 'string');
    assert.match(String(recorded.startedAt), /^\d{4}-\d\d-\d\dT/);
    assert.throws(
      () => claimDataDir(dir),
      /Another Kube Wars game server/,
      'a second claim in the same process',
    );
    release();
    assert.ok(!existsSync(join(dir, LOCK_FILE)));
  });

  it('refuses while the recorded process still runs', () => {
    const dir = freshDir();
    const parent = process.ppid;
    holdBy(dir, { ...currentOwner(), pid: parent, processStart: processStart(parent) });
    assert.throws(() => claimDataDir(dir), new RegExp(`pid ${parent}`));
  });

  it(
    'takes over when the pid now belongs to another process (a restarted container’s pid 1, a reused pid)',
    {
      skip: processStart(process.pid) === null && 'needs /proc',
    },
    () => {
      const dir = freshDir();
      // Our own pid, but recorded with another start: the container restarted and this process got the old pid.
      holdBy(dir, { ...currentOwner(), processStart: '1' });
      claimDataDir(dir)();
    },
  );

  it('takes over from a process that is gone, or a lock from an earlier boot', () => {
    const gone = freshDir();
    holdBy(gone, { ...currentOwner(), pid: 99999999 });
    claimDataDir(gone)();
    const earlierBoot = freshDir();
    holdBy(earlierBoot, { ...currentOwner(), pid: process.ppid, bootId: 'another-boot' });
    if (currentOwner().bootId) claimDataDir(earlierBoot)();
  });

  it('never takes a lock held from another host: it names the host and says how to recover', () => {
    const dir = freshDir();
    holdBy(dir, { ...currentOwner(), host: 'container-b', pid: 1, startedAt: '2026-12-05T09:00:00.000Z' });
    assert.throws(
      () => claimDataDir(dir),
      /host container-b, pid 1, started 2026-12-05T09:00:00.000Z.*If it is gone for good, delete/,
    );
  });
});
