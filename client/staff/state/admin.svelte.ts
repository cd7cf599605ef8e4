import type {
  AdminTicketTypeDto,
  AdminTicketTypesDto,
  BrandingDto,
} from '../../../shared/api/staff-admin.ts';
import { api } from '../../lib/api.ts';

/** Admin settings (issue 5 item 8): ticket types, password policy, branding. */
class AdminState {
  types = $state<AdminTicketTypesDto | null>(null);
  policy = $state<Record<string, unknown> | null>(null);
  branding = $state<BrandingDto | null>(null);
  error = $state<unknown>(null);
  /** Which section saved last (announced in a status region). */
  saved = $state<string | null>(null);

  async load(): Promise<void> {
    this.error = null;
    try {
      const [types, policy, branding] = await Promise.all([
        api.get<AdminTicketTypesDto>('/staff/admin/ticket-types'),
        api.get<{ policy: Record<string, unknown> }>('/staff/admin/password-policy'),
        api.get<{ branding: BrandingDto }>('/staff/admin/branding'),
      ]);
      this.types = types;
      this.policy = policy.policy;
      this.branding = branding.branding;
    } catch (error) {
      this.error = error;
    }
  }

  async #save(section: string, action: () => Promise<void>): Promise<boolean> {
    this.error = null;
    this.saved = null;
    try {
      await action();
      this.saved = section;
      return true;
    } catch (error) {
      this.error = error;
      return false;
    }
  }

  saveTicketType(id: string, patch: Partial<AdminTicketTypeDto>): Promise<boolean> {
    return this.#save(id, async () => {
      const { ticketType } = await api.put<{ ticketType: AdminTicketTypeDto }>(
        `/staff/admin/ticket-types/${encodeURIComponent(id)}`,
        patch,
      );
      if (this.types)
        this.types.ticketTypes = this.types.ticketTypes.map((row) => (row.id === id ? ticketType : row));
    });
  }

  savePolicy(policy: Record<string, unknown>): Promise<boolean> {
    return this.#save('policy', async () => {
      this.policy = (
        await api.put<{ policy: Record<string, unknown> }>('/staff/admin/password-policy', policy)
      ).policy;
    });
  }

  saveBranding(input: Omit<BrandingDto, 'contrastOnWhiteText'>): Promise<boolean> {
    return this.#save('branding', async () => {
      this.branding = (await api.put<{ branding: BrandingDto }>('/staff/admin/branding', input)).branding;
    });
  }
}

export const admin = new AdminState();
