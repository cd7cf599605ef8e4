import type { ImportJobDto, ImportJobsDto } from '../../../shared/api/import.ts';
import type { RegistrationStatus, TenantDirectoryDto } from '../../../shared/api/staff-tenants.ts';
import { api, ApiError } from '../../lib/api.ts';

/**
 * The tenant directory (issue 5 item 7): search, status filter, selection for registration letters,
 * regenerating a lost code. Each name leads to the tenant record (pages/TenantRecord.svelte).
 */
class TenantsState {
  q = $state('');
  building = $state('');
  status = $state<RegistrationStatus | ''>('');
  directory = $state<TenantDirectoryDto | null>(null);
  selected = $state<string[]>([]);
  loading = $state(false);
  error = $state<unknown>(null);
  /** The code just regenerated, shown once. */
  newCode = $state<{ personId: string; name: string; code: string } | null>(null);
  /** Object URL of the last printed letters (opened in a new tab, also offered as a link). */
  letterUrl = $state<string | null>(null);
  /** Applied ERP loads that brought people in (admins only; others never see the choice). */
  loads = $state<ImportJobDto[]>([]);
  sinceLoad = $state('');

  async loadImports(): Promise<void> {
    try {
      const { jobs } = await api.get<ImportJobsDto>('/staff/admin/imports');
      this.loads = jobs.filter((job) => job.state === 'applied' && (job.counts?.persons.created ?? 0) > 0);
    } catch {
      // Staff without the admin role: letters by selection and building only.
      this.loads = [];
    }
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    // A throwaway query string, not UI state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const params = new URLSearchParams();
    if (this.q.trim()) params.set('q', this.q.trim());
    if (this.building) params.set('building', this.building);
    if (this.status) params.set('status', this.status);
    try {
      this.directory = await api.get<TenantDirectoryDto>(`/staff/tenants?${params.toString()}`);
      const visible = new Set(this.directory.tenants.map((row) => row.personId));
      this.selected = this.selected.filter((id) => visible.has(id));
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  toggle(personId: string, on: boolean): void {
    this.selected = on
      ? [...new Set([...this.selected, personId])]
      : this.selected.filter((id) => id !== personId);
  }

  /** POST /staff/registration-letters answers a PDF: fetched as a blob, since api.ts reads JSON. */
  async printLetters(
    selection: { personIds: string[] } | { buildingId: string } | { importRunId: string },
  ): Promise<void> {
    this.error = null;
    const response = await fetch('/api/staff/registration-letters', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/pdf' },
      body: JSON.stringify({ ...selection, layout: 'single' }),
    }).catch(() => null);
    if (!response || !response.ok) {
      const body = (await response?.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      this.error = new ApiError(
        response?.status ?? 0,
        body?.error?.code ?? 'network_error',
        body?.error?.message ?? '',
      );
      return;
    }
    if (this.letterUrl) URL.revokeObjectURL(this.letterUrl);
    this.letterUrl = URL.createObjectURL(await response.blob());
    window.open(this.letterUrl, '_blank', 'noopener');
    await this.load();
  }

  async regenerate(personId: string, name: string): Promise<void> {
    this.error = null;
    try {
      const { code } = await api.post<{ code: string }>(
        `/staff/tenants/${encodeURIComponent(personId)}/registration-code`,
      );
      this.newCode = { personId, name, code };
      await this.load();
    } catch (error) {
      this.error = error;
    }
  }
}

export const tenants = new TenantsState();
