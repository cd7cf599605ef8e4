import type { ApiKeysDto, CreateApiKeyRequest, CreatedApiKeyDto } from '../../../shared/api/integration.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** The ERP's API keys (issue 14 item 1): listed, created (secret shown once), revoked. */
class ApiKeysState {
  list = new Resource(() => api.get<ApiKeysDto>('/staff/admin/api-keys'));
  /** The answer to the last create: its secret is on screen until the admin dismisses it. */
  created = $state<CreatedApiKeyDto | null>(null);
  failure = $state<unknown>(null);
  /** What the last revoke did, for the live region. */
  revokedName = $state<string | null>(null);
  busy = $state(false);

  async create(input: CreateApiKeyRequest): Promise<unknown> {
    this.failure = null;
    this.revokedName = null;
    this.busy = true;
    try {
      this.created = await api.post<CreatedApiKeyDto>('/staff/admin/api-keys', input);
      await this.list.load();
      return null;
    } catch (error) {
      this.failure = error;
      return error;
    } finally {
      this.busy = false;
    }
  }

  async revoke(id: string, name: string): Promise<void> {
    this.failure = null;
    this.revokedName = null;
    this.busy = true;
    try {
      await api.delete(`/staff/admin/api-keys/${encodeURIComponent(id)}`);
      if (this.created?.apiKey.id === id) this.created = null;
      this.revokedName = name;
      await this.list.load();
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
  }

  /** The secret leaves the page once the admin has taken it (or leaves the page). */
  forgetSecret(): void {
    this.created = null;
  }
}

export const apiKeys = new ApiKeysState();
