// A tiny single-consumer async queue: producers push, one loop awaits the next value or a timeout.

export type Next<T> = { kind: 'value'; value: T } | { kind: 'timeout' } | { kind: 'closed' };

export class AsyncQueue<T> {
  #items: T[] = [];
  #closed = false;
  #wake: (() => void) | null = null;

  push(value: T): void {
    if (this.#closed) return;
    this.#items.push(value);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  get size(): number {
    return this.#items.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async next(timeoutMs: number): Promise<Next<T>> {
    if (this.#closed) return { kind: 'closed' };
    if (this.#items.length > 0) return { kind: 'value', value: this.#items.shift()! };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
    if (this.#closed) return { kind: 'closed' };
    if (this.#items.length > 0) return { kind: 'value', value: this.#items.shift()! };
    return { kind: 'timeout' };
  }
}
