// The sandbox is written alongside the lessons; until its modules are all present these tests skip with the reason.
import type * as SandboxModule from '../../../server/sandbox/index.ts';

export async function loadSandbox(): Promise<typeof SandboxModule | string> {
  try {
    return await import('../../../server/sandbox/index.ts');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      return `the sandbox is incomplete: ${(error as Error).message.split('\n')[0]}`;
    }
    throw error;
  }
}
