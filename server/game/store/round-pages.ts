// The public round pages (GET /api/rounds, /api/rounds/:id and its exports) as the archive answers them. Anyone
// can ask, so a finished round, which never changes again, is built once and kept; the round in play is read
// fresh, after the shots not yet saved are written.
import type { RoundDetail, RoundSummary } from '../protocol.ts';
import { exportRound, roundDetail, roundSummaries, type RoundsReader } from './exports.ts';

export type ExportFormat = 'csv' | 'json';

export interface RoundPagesOptions {
  archive: RoundsReader;
  /** Writes what the save loop holds, so a page of the round in play shows every shot so far. */
  flush(): void;
  /** Finished rounds' pages kept (default 32: a workshop's rounds, without growing forever). */
  maxCached?: number;
}

export class RoundPages {
  private readonly cached = new Map<string, RoundDetail | string>();

  constructor(private readonly options: RoundPagesOptions) {}

  rounds(): RoundSummary[] {
    this.options.flush();
    return roundSummaries(this.options.archive);
  }

  round(id: number): RoundDetail | undefined {
    return this.page(`${id}`, () => roundDetail(this.options.archive, id));
  }

  export(id: number, format: ExportFormat): string | undefined {
    return this.page(`${id}.${format}`, () => {
      // The download is the whole round: every stored shot, not the page's latest.
      const detail = roundDetail(this.options.archive, id, format === 'json' ? Infinity : 0);
      return detail && exportRound(detail, format);
    });
  }

  private page<T extends RoundDetail | string>(key: string, build: () => T | undefined): T | undefined {
    const kept = this.cached.get(key);
    if (kept !== undefined) return kept as T;
    this.options.flush();
    const id = Number.parseInt(key, 10);
    const built = build();
    if (built !== undefined && this.options.archive.round(id)?.status === 'finished') {
      this.cached.set(key, built);
      const oldest = this.cached.keys().next().value;
      if (this.cached.size > (this.options.maxCached ?? 32) && oldest !== undefined)
        this.cached.delete(oldest);
    }
    return built;
  }
}
