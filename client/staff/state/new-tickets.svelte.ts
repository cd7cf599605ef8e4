import type { InboxCountsResponse } from '../../../shared/api/staff.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';

/** localStorage key of the sound choice: per browser, as a desk phone's ringer is per desk. */
const soundKey = 'portier.staff.newTicketSound';
/** One refetch per burst of live events (a new ticket arrives as two or three events). */
const refreshDelayMs = 300;

/**
 * New, unassigned tickets in the staff member's scope (issue 15 item 6), wherever they are in the
 * console: the nav badge, the "(3) Portier" title and an optional sound read this. The count is
 * the server's (`/staff/tickets/counts?status=new`, view "unassigned"), refetched on the live
 * ticket events the staff rooms already carry, so it never drifts from the inbox.
 */
class NewTicketsState {
  count = $state<number | null>(null);
  sound = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #generation = 0;

  constructor() {
    try {
      this.sound = globalThis.localStorage?.getItem(soundKey) === 'on';
    } catch {
      // Storage blocked (private mode, policy): the sound stays off, as by default.
    }
  }

  setSound(on: boolean): void {
    this.sound = on;
    try {
      if (on) localStorage.setItem(soundKey, 'on');
      else localStorage.removeItem(soundKey);
    } catch {
      // Not stored: the choice holds for this tab only.
    }
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const { counts } = await api.get<InboxCountsResponse>('/staff/tickets/counts?status=new');
      if (generation !== this.#generation) return;
      const previous = this.count;
      this.count = counts.unassigned;
      if (previous !== null && counts.unassigned > previous && this.sound) chime();
    } catch {
      // A failed refresh keeps the last count; the next live event tries again.
    }
  }

  /** Follows live events while signed in; returns the function that stops. */
  start(): () => void {
    void this.load();
    const schedule = () => {
      if (this.#timer) return;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.load();
      }, refreshDelayMs);
    };
    const stops = [live.on('ticket.created', schedule), live.on('ticket.updated', schedule)];
    return () => {
      for (const stop of stops) stop();
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#generation++;
      this.count = null;
    };
  }
}

let audio: AudioContext | null = null;

/** Two short soft tones from Web Audio: no file to fetch or cache, nothing when audio is blocked. */
function chime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.17);
    }
  } catch {
    // Autoplay policy or no audio device: the badge and title still tell.
  }
}

export const newTickets = new NewTicketsState();
