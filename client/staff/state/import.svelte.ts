import type { ImportJobDto, ImportJobsDto, ImportMode } from '../../../shared/api/import.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { postMultipart } from './multipart.ts';

/** How often a running job is asked for its progress. */
const pollMs = 500;
const jobPath = (id: string) => `/staff/admin/imports/${encodeURIComponent(id)}`;

/** Which files in which mode: a dry run only vouches for exactly this selection. */
function fingerprint(files: readonly File[], mode: ImportMode): string {
  return [mode, ...files.map((file) => `${file.name}\u0000${file.size}\u0000${file.lastModified}`)].join(
    '\u0001',
  );
}

/**
 * The console's import (issue 14 item 3): choose files, dry run, read the report, apply the same
 * files, follow the progress, see the history. The server runs each load as a job; this polls it.
 */
class ImportState {
  files = $state.raw<File[]>([]);
  mode = $state<ImportMode>('delta');
  /** The job the page follows (the last started). */
  job = $state<ImportJobDto | null>(null);
  failure = $state<unknown>(null);
  starting = $state(false);
  history = new Resource(() => api.get<ImportJobsDto>('/staff/admin/imports'));
  /** The selection the last clean dry run checked. */
  #checked = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #generation = 0;

  readonly running = $derived(this.starting || this.job?.state === 'running');
  /** Apply only what a clean dry run has just checked: same files, same mode, nothing refused. */
  readonly canApply = $derived(
    !this.running &&
      this.#checked !== null &&
      this.#checked === fingerprint(this.files, this.mode) &&
      this.job?.state === 'checked',
  );

  choose(files: File[]): void {
    this.files = files;
    this.failure = null;
  }

  async start(dryRun: boolean): Promise<void> {
    if (this.running || this.files.length === 0) return;
    const selection = fingerprint(this.files, this.mode);
    this.#stopPolling();
    this.failure = null;
    this.starting = true;
    if (dryRun) this.#checked = null;
    const body = new FormData();
    for (const file of this.files) body.append('file', file, file.name);
    const query = new URLSearchParams({ dryRun: String(dryRun), mode: this.mode });
    try {
      const { job } = await postMultipart<{ job: ImportJobDto }>(`/staff/admin/imports?${query}`, body);
      this.job = job;
      this.#follow(job, dryRun ? selection : null);
    } catch (error) {
      this.failure = error;
    } finally {
      this.starting = false;
    }
  }

  /** Polls while the job runs; a clean dry run remembers what it checked. */
  #follow(job: ImportJobDto, selection: string | null): void {
    const generation = ++this.#generation;
    const settle = (done: ImportJobDto) => {
      if (done.dryRun && done.state === 'checked' && selection) this.#checked = selection;
      if (!done.dryRun && done.state === 'applied') this.#checked = null;
      void this.history.load();
    };
    if (job.state !== 'running') return settle(job);
    const tick = async () => {
      try {
        const { job: next } = await api.get<{ job: ImportJobDto }>(jobPath(job.id));
        if (generation !== this.#generation) return;
        this.job = next;
        if (next.state === 'running') this.#timer = setTimeout(() => void tick(), pollMs);
        else settle(next);
      } catch (error) {
        if (generation === this.#generation) this.failure = error;
      }
    };
    this.#timer = setTimeout(() => void tick(), pollMs);
  }

  #stopPolling(): void {
    this.#generation += 1;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The page was left: stop asking. A job still running is picked up from the history next time. */
  leave(): void {
    this.#stopPolling();
  }

  /** Back on the page: follow a job that was still running when it was left. */
  resume(): void {
    if (this.job?.state === 'running') this.#follow(this.job, null);
  }
}

export const importer = new ImportState();
