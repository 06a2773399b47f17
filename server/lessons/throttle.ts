/** How many requests a client may make at once (`burst`) and how fast that allowance comes back. */
export interface Rate {
  burst: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per client: a request takes a token, tokens come back at `perSecond` up to `burst`. A bucket that
 * has filled up again is the same as no bucket, so the map is pruned of those when it grows past `maxClients`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number,
    private readonly maxClients = 10_000,
  ) {}

  /** Takes a token for `client`: 0 when there was one, else the whole seconds until there is. */
  take(client: string): number {
    const at = this.now();
    const tokens = this.tokens(this.buckets.get(client), at);
    this.buckets.delete(client);
    if (tokens < 1) {
      this.buckets.set(client, { tokens, at });
      return Math.max(1, Math.ceil((1 - tokens) / this.rate.perSecond));
    }
    this.buckets.set(client, { tokens: tokens - 1, at });
    if (this.buckets.size > this.maxClients) this.prune(at);
    return 0;
  }

  private tokens(bucket: Bucket | undefined, at: number): number {
    if (!bucket) return this.rate.burst;
    return Math.min(this.rate.burst, bucket.tokens + ((at - bucket.at) / 1000) * this.rate.perSecond);
  }

  private prune(at: number): void {
    for (const [client, bucket] of this.buckets) {
      if (this.tokens(bucket, at) >= this.rate.burst) this.buckets.delete(client);
    }
    // Still too many clients all busy at once: forget the least recently seen (the map keeps use order).
    for (const client of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) break;
      this.buckets.delete(client);
    }
  }

  /** How many clients are remembered (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }
}
