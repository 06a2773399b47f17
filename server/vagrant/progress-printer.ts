// Shows the per-VM progress lines: redrawn in place on a terminal, printed only when a line changes otherwise
// (CI logs and pipes get a readable history instead of escape codes).

export interface ProgressPrinter {
  show(lines: readonly string[]): void;
}

export function createProgressPrinter(write: (text: string) => void, isTerminal: boolean): ProgressPrinter {
  let shown: readonly string[] = [];
  return {
    show(lines) {
      if (isTerminal) {
        // Cursor up over the previous block, then rewrite each line (clearing what was there).
        const up = shown.length > 0 ? `\x1b[${shown.length}A` : '';
        write(`${up}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
      } else {
        const changed = lines.filter((line, index) => shown[index] !== line);
        if (changed.length > 0) write(`${changed.join('\n')}\n`);
      }
      shown = [...lines];
    },
  };
}
