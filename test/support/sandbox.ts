// One sandbox for a test file (or suite): started before its tests with its kubeconfig in `dir`, stopped after
// them, and `dir` (which the tests also write their manifests to) removed.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../server/sandbox/index.ts';

/** Registers the before/after hooks where it is called; the function it returns gives the running sandbox. */
export function sandboxForTests(dir: string): () => RunningSandbox {
  let sandbox: RunningSandbox | undefined;
  before(async () => {
    sandbox = await startSandbox({ port: 0, kubeconfigOut: join(dir, 'config'), speed: 'fast' });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    assert.ok(sandbox, 'the sandbox has not started (its before hook failed or has not run)');
    return sandbox;
  };
}
