// Politeness per host: at most `perHost` calls in flight and at least `minDelayMs` between the
// starts of consecutive calls to one host; waiting calls start in FIFO order.

export interface HostLimiterOptions {
  perHost: number;
  minDelayMs: number;
  /** Monotonic milliseconds; injectable for tests. Default: performance.now. */
  now?: () => number;
}

interface HostState {
  active: number;
  queue: Array<() => void>;
  lastStartAt: number | null;
  timer: NodeJS.Timeout | null;
}

export class HostLimiter {
  private readonly perHost: number;
  private readonly minDelayMs: number;
  private readonly now: () => number;
  private readonly hosts = new Map<string, HostState>();
  /**
   * Idle hosts kept only to remember when they last started a call, in the order they went idle;
   * dropped once their delay has passed, so the map does not grow with every host ever seen.
   */
  private readonly idle = new Map<string, number>();

  constructor(opts: HostLimiterOptions) {
    if (!Number.isInteger(opts.perHost) || opts.perHost < 1) throw new RangeError('perHost must be an integer >= 1');
    if (!(opts.minDelayMs >= 0)) throw new RangeError('minDelayMs must be >= 0');
    this.perHost = opts.perHost;
    this.minDelayMs = opts.minDelayMs;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Hosts currently tracked (busy, queued, or idle within their delay). For tests and metrics. */
  get trackedHosts(): number {
    return this.hosts.size;
  }

  run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    this.pruneIdle();
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, queue: [], lastStartAt: null, timer: null };
      this.hosts.set(host, state);
    }
    this.idle.delete(host);
    const s = state;
    return new Promise<T>((resolve, reject) => {
      s.queue.push(() => {
        let p: Promise<T>;
        try {
          p = Promise.resolve(fn());
        } catch (err) {
          p = Promise.reject(err);
        }
        // Free the slot before the caller resumes, so a call made right after sees it free.
        const release = () => {
          s.active--;
          this.pump(host, s);
        };
        p.then(
          (value) => {
            release();
            resolve(value);
          },
          (err: unknown) => {
            release();
            reject(err);
          },
        );
      });
      this.pump(host, s);
    });
  }

  private pump(host: string, s: HostState): void {
    if (s.timer) return;
    while (s.queue.length > 0 && s.active < this.perHost) {
      const now = this.now();
      const wait = s.lastStartAt === null ? 0 : s.lastStartAt + this.minDelayMs - now;
      if (wait > 0) {
        s.timer = setTimeout(() => {
          s.timer = null;
          this.pump(host, s);
        }, Math.ceil(wait));
        return;
      }
      s.lastStartAt = now;
      s.active++;
      s.queue.shift()!();
    }
    if (s.active === 0 && s.queue.length === 0) this.goIdle(host, s);
  }

  private goIdle(host: string, s: HostState): void {
    const expiresAt = (s.lastStartAt ?? Number.NEGATIVE_INFINITY) + this.minDelayMs;
    if (expiresAt <= this.now()) {
      this.hosts.delete(host);
      this.idle.delete(host);
    } else {
      this.idle.delete(host);
      this.idle.set(host, expiresAt);
    }
  }

  /** Drops idle hosts whose delay has passed, oldest first; amortised O(1) per call. */
  private pruneIdle(): void {
    const now = this.now();
    for (const [host, expiresAt] of this.idle) {
      if (expiresAt > now) break;
      this.idle.delete(host);
      this.hosts.delete(host);
    }
  }
}
