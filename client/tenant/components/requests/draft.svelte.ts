import type { TicketDto } from '../../../../shared/api/tickets.ts';
import { createTicketRequest } from '../../../../shared/api/tickets.ts';
import {
  allowedOptions,
  fieldsSchema,
  type AvailabilityWindow,
  isFieldActive,
  type FieldValue,
  type TicketFields,
} from '../../../../shared/ticket-types.ts';
import { api, ApiError } from '../../../lib/api.ts';
import { queueTicket } from '../../../lib/pwa/queue.ts';
import { connectivity } from '../../../lib/pwa/status.svelte.ts';
import { fieldCodes, serverFieldCodes, type FieldCodes } from '../../../lib/forms.ts';
import type { TicketTypeFormDto } from '../../state/requests.svelte.ts';
import type { IncidentDto } from '../../../../shared/api/incidents.ts';
import { incidents } from '../../state/incidents.svelte.ts';
import { UploadQueue } from './upload-queue.svelte.ts';

export type SubmitOutcome =
  'invalid' | 'uploads_pending' | 'incident_match' | 'failed' | 'created' | 'queued';

const isNetworkError = (error: unknown) => error instanceof ApiError && error.code === 'network_error';

/**
 * One new request being written. The `clientId` is made once per draft and sent with every try, so a
 * double tap or a retry after a lost answer returns the same ticket (API.md "same clientId again →
 * the same ticket"). Fields are validated with the server's own schema (fieldsSchema) before sending.
 */
export class RequestDraft {
  type = $state<TicketTypeFormDto | null>(null);
  values = $state<Partial<TicketFields>>({});
  /** The tenant's own short title (optional): the subject reads "type: title" (issue 15 item 3). */
  title = $state('');
  description = $state('');
  contractId = $state('');
  uploads = new UploadQueue();
  errors = $state<FieldCodes>({});
  submitting = $state(false);
  error = $state<unknown>(null);
  created = $state<TicketDto | null>(null);
  /** Written offline: in the device's queue, sent by it when the connection returns (issue 6 item 6). */
  queued = $state(false);
  matches = $state<IncidentDto[]>([]);
  #clientId = crypto.randomUUID();
  #matchChecked = false;

  activeFields = $derived(
    this.type
      ? this.type.form.fields.filter((field) => isFieldActive(this.type!.form, field, this.values))
      : [],
  );

  choose(type: TicketTypeFormDto | null): void {
    this.type = type;
    this.values = {};
    this.errors = {};
    this.matches = [];
    this.#matchChecked = false;
  }

  /** Sets one answer and drops dependent answers the new value no longer offers (location → room). */
  set(name: string, value: FieldValue | undefined): void {
    const values: Partial<TicketFields> = { ...this.values, [name]: value };
    if (value === undefined) delete values[name];
    for (const field of this.type?.form.fields ?? []) {
      const current = values[field.name];
      if (field.kind !== 'select' || typeof current !== 'string') continue;
      if (!allowedOptions(field, values).includes(current)) delete values[field.name];
    }
    this.values = values;
    if (Object.keys(this.errors).some((key) => key === name || key.startsWith(`${name}.`))) {
      this.errors = Object.fromEntries(
        Object.entries(this.errors).filter(([key]) => key !== name && !key.startsWith(`${name}.`)),
      );
    }
    if (name === 'component') this.#matchChecked = false;
  }

  /**
   * A visit window left without a date ("add a time", then nothing) is no answer and must not block
   * sending: such rows go before validating (from the form too, so problems name the rows shown).
   */
  #dropEmptyWindows(): void {
    const values: Partial<TicketFields> = { ...this.values };
    let changed = false;
    for (const field of this.type?.form.fields ?? []) {
      const windows = values[field.name];
      if (field.kind !== 'availability' || !Array.isArray(windows)) continue;
      const filled = (windows as AvailabilityWindow[]).filter((window) => window.date.trim() !== '');
      if (filled.length === windows.length) continue;
      changed = true;
      if (filled.length > 0) values[field.name] = filled;
      else delete values[field.name];
    }
    if (changed) this.values = values;
  }

  /** Where inside a field its first problem lies (`0.to` for the end of the first window), if anywhere. */
  problemAt(name: string): string | undefined {
    const key = Object.keys(this.errors).find((candidate) => candidate.startsWith(`${name}.`));
    return key?.slice(name.length + 1);
  }

  #validate(needsContract: boolean): TicketFields | null {
    if (!this.type) return null;
    const errors: FieldCodes = {};
    this.#dropEmptyWindows();
    const fields = fieldsSchema(this.type).safeParse($state.snapshot(this.values));
    if (!fields.success) Object.assign(errors, fieldCodes(fields.error));
    // A problem inside a field (`availability.1.to`) is shown at that field, never only in the data.
    for (const [key, code] of Object.entries(errors)) {
      const name = key.split('.')[0]!;
      if (name !== key) errors[name] ??= code;
    }
    const request = createTicketRequest.shape.description.safeParse(this.description);
    if (!request.success) errors.description = 'validation_required';
    if (needsContract && !this.contractId) errors.contractId = 'validation_required';
    this.errors = errors;
    return fields.success && Object.keys(errors).length === 0 ? fields.data : null;
  }

  /**
   * Validates, waits for nothing (uploads must be done), asks once whether an open incident already
   * covers a damage report (seed 004), then files. `reportAnyway` skips the incident question.
   */
  async submit(needsContract: boolean, reportAnyway = false): Promise<SubmitOutcome> {
    if (this.submitting || !this.type) return 'failed';
    const fields = this.#validate(needsContract);
    if (!fields) return 'invalid';
    if (this.uploads.preparing) return 'uploads_pending';
    // Offline (or the photos failed for want of a network): keep the whole request on this device.
    const offline = connectivity.offline || (this.uploads.failed && this.uploads.onlyNetworkFailures);
    if (!offline && (this.uploads.busy || this.uploads.failed)) return 'uploads_pending';
    this.submitting = true;
    this.error = null;
    try {
      if (offline) return await this.#queue(fields);
      const component = typeof fields.component === 'string' ? fields.component : undefined;
      if (this.type.id === 'damage_report' && this.contractId && !reportAnyway && !this.#matchChecked) {
        this.#matchChecked = true;
        const { incidents: found } = await incidents.matching(this.contractId, component);
        if (found.length > 0) {
          this.matches = found;
          return 'incident_match';
        }
      }
      this.matches = [];
      const { ticket } = await api.post<{ ticket: TicketDto }>('/tickets', {
        type: this.type.id,
        fields,
        ...(this.title.trim() && { title: this.title.trim() }),
        description: this.description.trim(),
        ...(this.contractId && { contractId: this.contractId }),
        attachmentIds: this.uploads.attachmentIds,
        clientId: this.#clientId,
      });
      this.created = ticket;
      this.uploads.clear();
      return 'created';
    } catch (error) {
      // The answer may have been lost after the server filed it: the queue sends the same clientId,
      // which the server answers with that same ticket (API.md), so it is filed once either way.
      if (isNetworkError(error)) return await this.#queue(fields).catch(() => this.#failed(error));
      return this.#failed(error);
    } finally {
      this.submitting = false;
    }
  }

  async #queue(fields: TicketFields): Promise<'queued'> {
    await queueTicket({
      clientId: this.#clientId,
      type: this.type!.id,
      fields,
      ...(this.title.trim() && { title: this.title.trim() }),
      description: this.description.trim(),
      ...(this.contractId && { contractId: this.contractId }),
      photos: this.uploads.photos(),
    });
    this.matches = [];
    this.queued = true;
    this.uploads.clear();
    return 'queued';
  }

  #failed(error: unknown): 'failed' {
    this.error = error;
    const server = serverFieldCodes(error);
    const errors: FieldCodes = Object.fromEntries(
      Object.entries(server).map(([key, code]) => [key.replace(/^fields\./, ''), code]),
    );
    for (const [key, code] of Object.entries(errors)) errors[key.split('.')[0]!] ??= code;
    this.errors = errors;
    return 'failed';
  }

  /** After a success or when leaving: frees previews and starts a fresh draft id. */
  reset(): void {
    this.uploads.clear();
    this.choose(null);
    this.title = '';
    this.description = '';
    this.created = null;
    this.queued = false;
    this.error = null;
    this.#clientId = crypto.randomUUID();
  }
}
