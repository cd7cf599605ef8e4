import type {
  AdminStaffAccountDto,
  AdminTeamsDto,
  AdminTicketTypeDto,
  AdminTicketTypesDto,
  BrandingDto,
  BrandingUpdate,
  StaffAccountCreate,
  StaffAccountPatch,
  TeamScopeInput,
} from '../../../shared/api/staff-admin.ts';
import type { CannedReplyCreate, CannedReplyDto } from '../../../shared/api/staff.ts';
import { isApiErrorBody } from '../../../shared/api/errors.ts';
import { api, ApiError } from '../../lib/api.ts';
import { branding as publicBranding } from '../../lib/branding.svelte.ts';

/** Admin settings (issue 5 item 8): ticket types, password policy, branding. */
class AdminState {
  types = $state<AdminTicketTypesDto | null>(null);
  policy = $state<Record<string, unknown> | null>(null);
  branding = $state<BrandingDto | null>(null);
  teams = $state<AdminTeamsDto | null>(null);
  staff = $state<AdminStaffAccountDto[]>([]);
  replies = $state<CannedReplyDto[]>([]);
  error = $state<unknown>(null);
  /** Which section saved last (announced in a status region). */
  saved = $state<string | null>(null);

  async load(): Promise<void> {
    this.error = null;
    try {
      const [types, policy, branding, teams, staff, replies] = await Promise.all([
        api.get<AdminTicketTypesDto>('/staff/admin/ticket-types'),
        api.get<{ policy: Record<string, unknown> }>('/staff/admin/password-policy'),
        api.get<{ branding: BrandingDto }>('/staff/admin/branding'),
        api.get<AdminTeamsDto>('/staff/admin/teams'),
        api.get<{ staff: AdminStaffAccountDto[] }>('/staff/admin/staff'),
        api.get<{ replies: CannedReplyDto[] }>('/staff/canned-replies'),
      ]);
      this.teams = teams;
      this.staff = staff.staff;
      this.replies = replies.replies;
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

  saveBranding(input: BrandingUpdate): Promise<boolean> {
    return this.#save('branding', async () => {
      this.branding = (await api.put<{ branding: BrandingDto }>('/staff/admin/branding', input)).branding;
    });
  }

  #reloadTeams = async () => {
    this.teams = await api.get<AdminTeamsDto>('/staff/admin/teams');
  };

  createTeam(name: string): Promise<boolean> {
    return this.#save('teams', async () => {
      await api.post('/staff/admin/teams', { name });
      await this.#reloadTeams();
    });
  }

  renameTeam(id: string, name: string): Promise<boolean> {
    return this.#save('teams', async () => {
      await api.patch(`/staff/admin/teams/${encodeURIComponent(id)}`, { name });
      await this.#reloadTeams();
    });
  }

  deleteTeam(id: string): Promise<boolean> {
    return this.#save('teams', async () => {
      await api.delete(`/staff/admin/teams/${encodeURIComponent(id)}`);
      await this.#reloadTeams();
    });
  }

  setMembers(id: string, userIds: string[]): Promise<boolean> {
    return this.#save('teams', async () => {
      await api.put(`/staff/admin/teams/${encodeURIComponent(id)}/members`, { userIds });
      await this.#reloadTeams();
    });
  }

  setScopes(id: string, scopes: TeamScopeInput[]): Promise<boolean> {
    return this.#save('teams', async () => {
      await api.put(`/staff/admin/teams/${encodeURIComponent(id)}/scopes`, { scopes });
      await this.#reloadTeams();
    });
  }

  createStaff(input: StaffAccountCreate): Promise<boolean> {
    return this.#save('staff', async () => {
      const { account } = await api.post<{ account: AdminStaffAccountDto }>('/staff/admin/staff', input);
      this.staff = [...this.staff, account];
      await this.#reloadTeams();
    });
  }

  changeStaff(id: string, patch: StaffAccountPatch): Promise<boolean> {
    return this.#save('staff', async () => {
      const { account } = await api.patch<{ account: AdminStaffAccountDto }>(
        `/staff/admin/staff/${encodeURIComponent(id)}`,
        patch,
      );
      this.staff = this.staff.map((row) => (row.id === id ? account : row));
      await this.#reloadTeams();
    });
  }

  saveReply(id: string | null, input: CannedReplyCreate): Promise<boolean> {
    return this.#save('replies', async () => {
      if (id) {
        const { title, body, language } = input;
        await api.patch(`/staff/canned-replies/${encodeURIComponent(id)}`, { title, body, language });
      } else await api.post('/staff/canned-replies', input);
      this.replies = (await api.get<{ replies: CannedReplyDto[] }>('/staff/canned-replies')).replies;
    });
  }

  deleteReply(id: string): Promise<boolean> {
    return this.#save('replies', async () => {
      await api.delete(`/staff/canned-replies/${encodeURIComponent(id)}`);
      this.replies = this.replies.filter((row) => row.id !== id);
    });
  }

  /** Multipart, so not through `api` (JSON only); errors become the same ApiError. */
  uploadLogo(file: File): Promise<boolean> {
    return this.#save('branding', async () => {
      const body = new FormData();
      body.append('file', file);
      const response = await fetch('/api/staff/admin/branding/logo', {
        method: 'POST',
        body,
        credentials: 'same-origin',
      });
      const payload: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const error = isApiErrorBody(payload)
          ? payload.error
          : { code: `http_${response.status}`, message: '' };
        throw new ApiError(response.status, error.code, error.message, {});
      }
      this.branding = (payload as { branding: BrandingDto }).branding;
      void publicBranding.load(true);
    });
  }
}

export const admin = new AdminState();
