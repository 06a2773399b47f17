import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { startSandbox } from '../../../server/sandbox/index.ts';
import { projectRoot } from '../../support/kubewars.ts';

// Debian's python3-kubernetes lives beside Debian's python, not any other python on PATH.
const debianPython = '/usr/bin/python3';

test('the official Python client creates, patches, lists, watches and deletes on the sandbox', async () => {
  assert.ok(existsSync(debianPython), 'Debian python3 is installed (see .ci/run)');
  const sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-python-')), 'config'),
    speed: 'fast',
  });
  try {
    const { stdout } = await execa(
      debianPython,
      [join(projectRoot, 'test/fixtures/clients/python_client.py'), sandbox.kubeconfigPath, 'default'],
      { timeout: 60_000, env: { NO_PROXY: '*' } },
    );
    const result = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(
      (result.namespaces as string[]).filter((name) => ['default', 'kube-system'].includes(name)),
      ['default', 'kube-system'],
    );
    assert.match(result.created_uid as string, /^[0-9a-f-]{36}$/);
    assert.equal(result.patched, 'bonjour');
    assert.equal(result.duplicate_status, 409);
    assert.equal(result.duplicate_reason, 'AlreadyExists');
    assert.deepEqual(result.listed, ['python-made']);
    assert.equal(result.watched, 'ADDED');
    assert.equal(result.after_delete_status, 404);
  } finally {
    await sandbox.stop();
  }
});
