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
        } catch (error) {
          // A lock held by a load or a backup: the rows wait for the next round, nothing to report.
          if (!this.quiet && storageConditionOf(error) !== 'busy')
            console.error(`${this.what} drain failed`, error);
        }
      } while (this.again && this.timer);
    })().finally(() => {
      this.running = null;
    });
  }

  /** Stops taking work and waits for the current drain (rows in flight keep their lease). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    await this.running;
  }
}
