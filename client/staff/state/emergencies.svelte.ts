import type { z } from 'zod';
import {
  onCallRotaUpdate,
  slaPrioritiesUpdate,
  type OnCallRotaDto,
  type OnCallShiftInput,
  type SlaPrioritiesUpdate,
  type SlaTableResponse,
  type SlaTypeDto,
} from '../../../shared/api/emergencies.ts';
import { api } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { serverFieldCodes, validate, type FieldCodes } from '../../lib/forms.ts';

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
    const saved = await this.#put(
      slaPrioritiesUpdate,
      input,
      `/staff/admin/sla/${encodeURIComponent(typeId)}`,
      (codes) => (this.slaErrors = { ...this.slaErrors, [typeId]: codes }),
      ({ type }: { type: SlaTypeDto }) =>
        (this.sla = this.sla.map((row) => (row.typeId === typeId ? type : row))),
    );
    if (saved) this.slaSaved = typeId;
    return saved;
  }

  async saveRota(teamId: string, shifts: OnCallShiftInput[]): Promise<boolean> {
    this.rotaSaved = null;
    const saved = await this.#put(
      onCallRotaUpdate,
      { shifts },
      `/staff/admin/teams/${encodeURIComponent(teamId)}/on-call`,
      (codes) => (this.rotaErrors = { ...this.rotaErrors, [teamId]: codes }),
      ({ rota }: { rota: OnCallRotaDto }) => (this.rotas = { ...this.rotas, [teamId]: rota }),
    );
    if (saved) this.rotaSaved = teamId;
    return saved;
  }

  /**
   * Checks `value` with the route's schema, sends it and stores the answer; field problems (the
   * browser's or the server's 400) go to `setErrors`, anything else to the page's problem line.
   */
  async #put<S extends z.ZodType, R>(
    schema: S,
    value: unknown,
    path: string,
    setErrors: (codes: FieldCodes) => void,
    store: (response: R) => void,
  ): Promise<boolean> {
    const checked = validate(schema, value);
    if (!checked.ok) {
      setErrors(checked.fields);
      return false;
    }
    try {
      store(await api.put<R>(path, checked.data));
      setErrors({});
      return true;
    } catch (error) {
      const fields = serverFieldCodes(error);
      if (Object.keys(fields).length > 0) setErrors(fields);
      else this.problem = errorMessage(error);
      return false;
    }
  }
}

export const emergencyAdmin = new EmergencyAdminState();
