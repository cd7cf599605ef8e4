import type { BroadcastReachDto } from '../../../../shared/api/broadcast-reach.ts';
import { m } from '../../../../shared/i18n/paraglide/messages.js';

/**
 * The question before a broadcast (issue 15 item 8): how many people get mail, push and SMS, for
 * the page's ConfirmDialog. Asking is not the page's `busy`: a disabled button drops the focus, and
 * it must return there when the dialog closes.
 */
export class ReachQuestion {
  question = $state<{ title: string; text: string; confirm: string } | null>(null);
  #asking = false;

  /** Counts the reach and shows the question, with `note` after the figures; a failure is thrown. */
  async ask(count: () => Promise<BroadcastReachDto>, note?: string): Promise<void> {
    if (this.#asking) return;
    this.#asking = true;
    try {
      const text = m.staff_reach_text(await count());
      this.question = {
        title: m.staff_reach_title(),
        text: note ? `${text} ${note}` : text,
        confirm: m.staff_reach_confirm(),
      };
    } finally {
      this.#asking = false;
    }
  }

  close(): void {
    this.question = null;
  }
}
