/** The latest events, oldest first, at most `limit` (the kill feed a snapshot carries). */
export class RecentEvents<T> {
  private readonly items: T[] = [];

  constructor(private readonly limit: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.limit) this.items.shift();
  }

  list(): T[] {
    return [...this.items];
  }
}
