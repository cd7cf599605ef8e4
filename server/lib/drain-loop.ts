import { storageConditionOf } from './storage-errors.ts';

/**
 * A queue worker's heartbeat (the notification outbox, webhooks out): drains when a transaction
 * queued work, and every `intervalMs` for retries that came due and leases that ran out. One drain
 * at a time; a wake during a drain runs one more after it.
 */
export class DrainLoop {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** The storage condition reported last (a database down, a full disk), until a drain succeeds. */
  private reported: string | null = null;

  constructor(
    private readonly what: string,
    private readonly drain: () => Promise<unknown>,
    private readonly onQueued: (listener: () => void) => () => void,
    private readonly intervalMs: number,
    private readonly quiet: boolean,
  ) {}

  start(): void {
    this.unsubscribe = this.onQueued(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
    this.wake();
  }

  /** A drain is under way (a wake now runs one more after it). */
  get draining(): boolean {
    return this.running !== null;
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.drain();
          if (this.reported && !this.quiet) console.warn(`${this.what} drains again`);
          this.reported = null;
        } catch (error) {
          this.report(error);
        }
      } while (this.again && this.timer);
    })().finally(() => {
      this.running = null;
    });
  }

  /**
   * A lock held by a load or a backup: the rows wait for the next round, nothing to report. The
   * database down or the disk full: said once, not on every tick until it is back. Anything else
   * is a fault of the drain and said each time.
   */
  private report(error: unknown): void {
    const condition = storageConditionOf(error);
    if (condition === 'busy' || this.quiet) return;
    if (condition === null) {
      console.error(`${this.what} drain failed`, error);
      return;
    }
    if (condition !== this.reported) console.warn(`${this.what} waits: storage ${condition}`);
    this.reported = condition;
  }

  /** Stops taking work and waits for the current drain (rows in flight keep their lease). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    await this.running;
  }
}
