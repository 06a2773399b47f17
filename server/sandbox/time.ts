// Times as Kubernetes writes them in objects (metav1.Time): RFC 3339 in whole seconds, UTC, e.g.
// 2026-03-01T10:00:00Z. (MicroTime fields, such as a Lease's renewTime, keep their microseconds.)

/** `ms` since the epoch as an RFC 3339 time in whole seconds, as the apiserver and controllers write it. */
export function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
