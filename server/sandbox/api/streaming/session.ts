// What exec and attach need from a stream protocol (WebSocket channels or SPDY streams), and the Status the error
// stream ends with: Success, or a NonZeroExitCode failure carrying the exit code kubectl turns into its own.

export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
}

export interface StreamSession {
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  onStdin(listener: (data: Buffer) => void): void;
  onStdinEnd(listener: () => void): void;
  onResize(listener: (size: { width: number; height: number }) => void): void;
  /** The client went away (connection closed). */
  onGone(listener: () => void): void;
  /** Writes the final status and closes the session. */
  finish(status: ExecStatus): void;
}

export function exitStatus(exitCode: number, argv: string[]): ExecStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function failureStatus(message: string): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError' };
}
