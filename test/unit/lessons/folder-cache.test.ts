import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FolderCache, folderStamp } from '../../../server/lessons/folder-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-folder-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('folder cache', () => {
  test("a folder's stamp changes when a file in it is edited, added or removed, and only then", () => {
    const file = join(dir, 'a.md');
    writeFileSync(file, 'one');
    utimesSync(file, new Date('2026-01-01'), new Date('2026-01-01'));
    const first = folderStamp(dir);
    assert.equal(folderStamp(dir), first);
    utimesSync(file, new Date('2026-01-01'), new Date('2026-01-02'));
    const edited = folderStamp(dir);
    assert.notEqual(edited, first);
    writeFileSync(join(dir, 'b.md'), 'two');
    const added = folderStamp(dir);
    assert.notEqual(added, edited);
    unlinkSync(join(dir, 'b.md'));
    assert.equal(folderStamp(dir), edited);
    assert.equal(folderStamp(join(dir, 'nowhere')), 'absent');
  });

  test('a value is computed once, and again only after its folder changed and was looked at again', () => {
    let now = 0;
    let computed = 0;
    const cache = new FolderCache(() => now, 1000);
    const get = () => cache.get('page', [dir], () => ++computed);
    assert.equal(get(), 1);
    assert.equal(get(), 1);
    writeFileSync(join(dir, 'c.md'), 'three');
    assert.equal(get(), 1, 'the folder was looked at again within a second');
    now = 1000;
    assert.equal(get(), 2);
    now = 5000;
    assert.equal(get(), 2);
  });
});
