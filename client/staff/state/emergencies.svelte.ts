import {
  onCallRotaUpdate,
  slaPrioritiesUpdate,
  type OnCallRotaDto,
  type OnCallShiftInput,
  type SlaPrioritiesUpdate,
  type SlaTableResponse,
  type SlaTypeDto,
} from '../../../shared/api/emergencies.ts';
import { api, ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';

/** Zod issues as "path" → snake_case code, the shape the server's 400 `fields` have too. */
function issuesOf(issues: readonly { path: PropertyKey[]; message: string; code: string }[]) {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    errors[issue.path.map(String).join('.') || '_'] ??= /^[a-z_]+$/.test(issue.message)
      ? issue.message
      : issue.code;
  }
  return errors;
}

/**
 * The Admin page's SLA table (issue 15 item 8) and on-call rotas (item 6). Input is checked with
 * the routes' own schemas (shared/api/emergencies.ts) before it is sent.
 */
class EmergencyAdminState {
  sla = $state<SlaTypeDto[]>([]);
  /** Type id → field errors of its last save; `saved` names the type saved last. */
  slaErrors = $state<Record<string, Record<string, string>>>({});
  slaSaved = $state<string | null>(null);
  rotas = $state<Record<string, OnCallRotaDto>>({});
  rotaErrors = $state<Record<string, Record<string, string>>>({});
  rotaSaved = $state<string | null>(null);
  problem = $state<string | null>(null);

  async load(teamIds: readonly string[]): Promise<void> {
    this.problem = null;
    try {
      const [table, ...rotas] = await Promise.all([
        api.get<SlaTableResponse>('/staff/admin/sla'),
        ...teamIds.map((id) =>
          api.get<{ rota: OnCallRotaDto }>(`/staff/admin/teams/${encodeURIComponent(id)}/on-call`),
        ),
      ]);
      this.sla = table.types;
      this.rotas = Object.fromEntries(rotas.map(({ rota }) => [rota.teamId, rota]));
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }

  async saveSla(typeId: string, input: SlaPrioritiesUpdate): Promise<boolean> {
    this.slaSaved = null;
    const parsed = slaPrioritiesUpdate.safeParse(input);
    if (!parsed.success) {
      this.slaErrors = { ...this.slaErrors, [typeId]: issuesOf(parsed.error.issues) };
      return false;
    }
    try {
      const { type } = await api.put<{ type: SlaTypeDto }>(
        `/staff/admin/sla/${encodeURIComponent(typeId)}`,
        parsed.data,
      );
      this.sla = this.sla.map((row) => (row.typeId === typeId ? type : row));
      this.slaErrors = { ...this.slaErrors, [typeId]: {} };
      this.slaSaved = typeId;
      return true;
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields ?? {}).length > 0)
        this.slaErrors = { ...this.slaErrors, [typeId]: { ...error.fields } };
      else this.problem = errorMessage(error);
      return false;
    }
  }

  async saveRota(teamId: string, shifts: OnCallShiftInput[]): Promise<boolean> {
    this.rotaSaved = null;
    const parsed = onCallRotaUpdate.safeParse({ shifts });
    if (!parsed.success) {
      this.rotaErrors = { ...this.rotaErrors, [teamId]: issuesOf(parsed.error.issues) };
      return false;
    }
    try {
      const { rota } = await api.put<{ rota: OnCallRotaDto }>(
        `/staff/admin/teams/${encodeURIComponent(teamId)}/on-call`,
        parsed.data,
      );
      this.rotas = { ...this.rotas, [teamId]: rota };
      this.rotaErrors = { ...this.rotaErrors, [teamId]: {} };
      this.rotaSaved = teamId;
      return true;
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields ?? {}).length > 0)
        this.rotaErrors = { ...this.rotaErrors, [teamId]: { ...error.fields } };
      else this.problem = errorMessage(error);
      return false;
    }
  }
}

export const emergencyAdmin = new EmergencyAdminState();
