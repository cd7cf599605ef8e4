import type {
  HouseholdAccess,
  HouseholdInvitationRequest,
  HouseholdInvitationResponse,
  HouseholdMemberResponse,
  HouseholdRemovalResult,
  HouseholdResponse,
} from '../../../shared/api/household.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

const base = (contractId: string) => `/contracts/${encodeURIComponent(contractId)}/household`;

/** The people on a contract with their portal access (seed 003: every adult has an own login). */
class HouseholdState {
  contractId = $state<string | null>(null);
  members = new Resource(() => api.get<HouseholdResponse>(base(this.contractId ?? '')));

  open(contractId: string): void {
    if (contractId !== this.contractId) {
      this.members.reset();
      this.contractId = contractId;
    }
    void this.members.load();
  }

  /** Main tenant only (403 `not_main_tenant` otherwise); the invitation is pending until its code registers a login. */
  async invite(request: HouseholdInvitationRequest): Promise<HouseholdInvitationResponse> {
    const contractId = this.contractId ?? '';
    const created = await api.post<HouseholdInvitationResponse>(`${base(contractId)}/invitations`, request);
    await this.members.load();
    return created;
  }

  /** Main tenant only: the invitation's code stops working at once. */
  async withdraw(invitationId: string): Promise<void> {
    const contractId = this.contractId ?? '';
    try {
      await api.delete(`${base(contractId)}/invitations/${encodeURIComponent(invitationId)}`);
    } finally {
      // Also after a 404 (withdrawn elsewhere, expired): show what the server holds now.
      await this.members.load();
    }
  }

  /**
   * Main tenant only: ends the member's access to the contract (not the main tenant's own), or,
   * where the landlord requires approval, files the request staff approve (null: removed at once).
   */
  async remove(personId: string): Promise<HouseholdRemovalResult['request']> {
    const contractId = this.contractId ?? '';
    try {
      const result = await api.delete<HouseholdRemovalResult | undefined>(
        `${base(contractId)}/${encodeURIComponent(personId)}`,
      );
      return result?.request ?? null;
    } finally {
      await this.members.load();
    }
  }

  async changeAccess(personId: string, access: HouseholdAccess): Promise<void> {
    const contractId = this.contractId ?? '';
    const { member } = await api.patch<HouseholdMemberResponse>(
      `${base(contractId)}/${encodeURIComponent(personId)}`,
      { access },
    );
    const list = this.members.data?.members;
    const index = list?.findIndex((entry) => entry.personId === member.personId) ?? -1;
    if (list && index >= 0) list[index] = member;
  }
}

export const household = new HouseholdState();
