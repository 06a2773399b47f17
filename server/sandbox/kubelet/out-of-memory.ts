// A container that asks for more memory than its limit: the kernel's OOM killer ends it (SIGKILL, exit 137) soon
// after it starts allocating, and the kubelet records the reason OOMKilled; its restart policy then acts.
import { activityOf, memoryLimitOf } from '../metrics/activity.ts';
import { programOf, type Program } from './programs.ts';

/** How long allocating up to the limit takes before the kill, ms (scaled by the speed as other run times). */
const ALLOCATION_MS = 2000;

type Container = Parameters<typeof programOf>[0] & { resources?: { limits?: Record<string, unknown> } };

/** What the container's process does, with the OOM killer's word on it. */
export function programWithinLimits(container: Container): Program {
  const program = programOf(container);
  const limit = memoryLimitOf(container);
  if (limit === undefined || activityOf(container).memoryBytes <= limit) return program;
  return {
    kind: 'exits',
    exitCode: 137,
    reason: 'OOMKilled',
    afterMs: program.kind === 'exits' ? Math.min(program.afterMs, ALLOCATION_MS) : ALLOCATION_MS,
    handlesSigterm: program.handlesSigterm,
  };
}
