import type {
  AdminContractorsDto,
  ContractorCreate,
  ContractorDto,
  ContractorPatch,
} from '../../../shared/api/contractors.ts';
import { m } from '../../../shared/i18n/paraglide/messages.js';
import { api, ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';

const path = '/staff/admin/contractors';

/**
 * The contractor directory of the Admin page (`/api/staff/admin/contractors`): the list with the
 * buildings it may name, the form's field errors from the server's 400, and what the last removal
 * did (deleted, or deactivated because a job link names the company).
 */
class ContractorsState {
  list = $state<AdminContractorsDto | null>(null);
  /** Field path ("name", "trades.0", "buildingIds") → snake_case code of the last save. */
  errors = $state<Record<string, string>>({});
  /** A problem that belongs to no field (network, 403, 404), as text. */
  problem = $state<string | null>(null);
  /** What the last action did, for the polite live region. */
  notice = $state<string | null>(null);
  busy = $state(false);

  async load(): Promise<void> {
    this.problem = null;
    try {
      this.list = await api.get<AdminContractorsDto>(path);
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }

  private replace(contractor: ContractorDto): void {
    if (!this.list) return;
    const others = this.list.contractors.filter((row) => row.id !== contractor.id);
    this.list.contractors = [...others, contractor].sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    );
  }

  private async run(work: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.problem = null;
    this.notice = null;
    try {
      await work();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'validation_failed' && Object.keys(error.fields).length)
        this.errors = { ...error.fields };
      else this.problem = errorMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Creates (id null) or changes a contractor; true when saved. */
  save(id: string | null, input: ContractorCreate): Promise<boolean> {
    this.errors = {};
    return this.run(async () => {
      const { contractor } = id
        ? await api.patch<{ contractor: ContractorDto }>(`${path}/${id}`, input satisfies ContractorPatch)
        : await api.post<{ contractor: ContractorDto }>(path, input);
      this.replace(contractor);
      this.notice = m.staff_admin_saved();
    });
  }

  setActive(contractor: ContractorDto, active: boolean): Promise<boolean> {
    return this.run(async () => {
      const answer = await api.patch<{ contractor: ContractorDto }>(`${path}/${contractor.id}`, { active });
      this.replace(answer.contractor);
      this.notice = m.staff_admin_saved();
    });
  }

  /** Deletes, or (when a job link names it) the server deactivates it instead and says so. */
  remove(contractor: ContractorDto): Promise<boolean> {
    return this.run(async () => {
      const answer = await api.delete<{ contractor: ContractorDto } | undefined>(`${path}/${contractor.id}`);
      if (answer?.contractor) {
        this.replace(answer.contractor);
        this.notice = m.admin_contractors_deactivated_instead({ name: contractor.name });
      } else {
        if (this.list)
          this.list.contractors = this.list.contractors.filter((row) => row.id !== contractor.id);
        this.notice = m.admin_contractors_deleted({ name: contractor.name });
      }
    });
  }
}

export const contractors = new ContractorsState();
