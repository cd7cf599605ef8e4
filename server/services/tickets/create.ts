import { claimAttachments } from '../../../db/repositories/files.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import {
  findTicketByClientId,
  findTicketType,
  insertTicket,
  insertTicketStatusChanges,
  listTeamScopesCoveringBuilding,
  takeTicketNumber,
  type Ticket,
  type TicketTypeRow,
} from '../../../db/repositories/tickets.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { CreateTicketRequest } from '../../../shared/api/tickets.ts';
import {
  fieldsSchema,
  isEmergencyAnswer,
  priorityForFields,
  ticketTypeFormSchema,
  type TicketFields,
  type TicketTypeForm,
} from '../../../shared/ticket-types.ts';
import type { Deps } from '../../deps.ts';
import { findPerson } from '../../../db/repositories/persons.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest, forbidden } from '../../domain/errors.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { fieldErrors } from '../../lib/validate.ts';
import { assertCanActOnContract, type CustomerScope, loadCustomerScope } from '../access.ts';
import { listContractPlacementsOfPerson } from '../../../db/repositories/access.ts';
import { defaultSubjectLocale, ticketSubjects, type SubjectInput } from '../../../shared/ticket-subject.ts';
import { loadBusinessHours, slaDueDates, slaTargetsFor } from '../sla.ts';

export interface CreateTicketResult {
  ticket: Ticket;
  /** False when the same clientId came again (a retry): the route answers 200 instead of 201. */
  created: boolean;
}

function formOf(type: TicketTypeRow): TicketTypeForm {
  const parsed = ticketTypeFormSchema.safeParse(type.form);
  if (!parsed.success) throw new Error(`ticket type ${type.id} has an invalid stored form`);
  return parsed.data;
}

function validateFields(form: TicketTypeForm, fields: unknown): TicketFields {
  const result = fieldsSchema({ form }).safeParse(fields);
  if (result.success) return result.data;
  const prefixed = Object.fromEntries(
    Object.entries(fieldErrors(result.error)).map(([key, code]) => [`fields.${key}`, code]),
  );
  throw badRequest('validation_failed', 'The request is not valid.', prefixed);
}

/** Without a contractId, a customer with exactly one contract files on it (the usual flat). */
function resolveContractId(scope: CustomerScope, form: TicketTypeForm, contractId?: string): string | null {
  if (contractId) return contractId;
  if (scope.contracts.size === 1) return [...scope.contracts.keys()][0]!;
  if (form.contract === 'required' || scope.ownedUnitIds.size === 0) {
    throw badRequest('validation_failed', 'Choose the contract this request is about.', {
      contractId: 'validation_required',
    });
  }
  return null;
}

/**
 * Routing (issue 5 item 3): the type's own team when its scope covers the building (a team that
 * cannot see the ticket must not own it), else the narrowest scope: building over estate over all.
 */
async function routeToTeam(
  tx: Tx,
  type: TicketTypeRow,
  place: { buildingId: string; estateId: string } | null,
) {
  if (!place) return type.routingTeamId ?? null;
  const rank = { building: 0, estate: 1, all: 2 } as const;
  const scopes = await listTeamScopesCoveringBuilding(tx, place.buildingId, place.estateId);
  if (type.routingTeamId && scopes.some((scope) => scope.teamId === type.routingTeamId)) {
    return type.routingTeamId;
  }
  return scopes.sort((a, b) => rank[a.kind] - rank[b.kind])[0]?.teamId ?? null;
}

/**
 * "2026-000123": per year, consecutive; drawn from the year's counter inside the unit of work, so
 * unique on any number of instances, and given back if the unit fails.
 */
async function nextNumber(tx: Tx, now: Date): Promise<string> {
  const year = now.getUTCFullYear();
  const sequence = await takeTicketNumber(tx, year);
  return `${year}-${String(sequence).padStart(6, '0')}`;
}

/** The subject columns of a new ticket: the default language stays in `subject` for webhooks. */
export function storedSubjects(input: SubjectInput) {
  const subjects = ticketSubjects(input);
  return { subject: subjects[defaultSubjectLocale], subjects, title: input.title?.trim() || null };
}

export async function createTicket(
  deps: Deps,
  user: SessionUser,
  input: CreateTicketRequest,
): Promise<CreateTicketResult> {
  const retried = await findTicketByClientId(deps.db, user.id, input.clientId);
  if (retried) return { ticket: retried, created: false };

  const type = await findTicketType(deps.db, input.type);
  if (!type || !type.active) throw badRequest('unknown_ticket_type', 'There is no such request type.');
  const form = formOf(type);
  const fields = validateFields(form, input.fields);

  const scope = await loadCustomerScope(deps, user);
  const contractId = resolveContractId(scope, form, input.contractId);
  if (contractId) assertCanActOnContract(scope, contractId);
  else if (!form.audience.includes('owner')) throw forbidden('read_only', 'This request needs a contract.');
  // The unit and building come from the contract (one unit per flat contract; the first otherwise).
  const placement = contractId
    ? (await listContractPlacementsOfPerson(deps.db, user.personId)).find((p) => p.contractId === contractId)
    : undefined;

  const now = deps.now();
  const businessHours = await loadBusinessHours(deps.db);
  const timeZone = deps.config.timeZone;
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  const priority = priorityForFields({ defaultPriority: type.defaultPriority, form }, fields);
  return await unitOfWork(deps, async ({ tx, record }) => {
    const raced = await findTicketByClientId(tx, user.id, input.clientId);
    if (raced) return { ticket: raced, created: false };
    const ticket = await insertTicket(
      tx,
      {
        number: await nextNumber(tx, now),
        typeId: type.id,
        fields,
        // Every language at once (issue 15 item 3): the reader's is picked when read.
        ...storedSubjects({ typeId: type.id, form, fields, title: input.title }),
        description: input.description,
        status: 'new',
        priority,
        createdByUserId: user.id,
        contractId,
        unitId: placement?.unitId ?? null,
        buildingId: placement?.buildingId ?? null,
        teamId: await routeToTeam(tx, type, placement ?? null),
        clientId: input.clientId,
        // SLA per type and priority, in business hours or 24/7 (issue 15 item 6): server/services/sla.ts.
        ...slaDueDates(now, await slaTargetsFor(tx, type, priority), businessHours, timeZone),
        lastActivityAt: now,
        createdAt: now,
      },
      'taken',
    );
    await insertTicketStatusChanges(tx, [
      { ticketId: ticket.id, fromStatus: null, toStatus: 'new', changedByUserId: user.id, createdAt: now },
    ]);
    const claimed = await claimAttachments(tx, {
      attachmentIds,
      ownerUserId: user.id,
      ticketId: ticket.id,
      messageId: null,
    });
    if (claimed !== attachmentIds.length) {
      throw badRequest('invalid_attachment', 'An attachment is unknown, not yours or already used.');
    }
    await insertAuditEntry(tx, {
      actorUserId: user.id,
      action: 'ticket.created',
      entityType: 'ticket',
      entityId: ticket.id,
      data: { number: ticket.number, type: type.id },
      createdAt: now,
    });
    if (isEmergencyAnswer(form, fields))
      record({
        type: 'ticket.emergency.raised',
        ticket: { ...ticket, estateId: placement?.estateId ?? null },
        at: now,
      });
    // The ERP applies contract changes (issue 14 item 5): it hears who asked (projector).
    const requester = type.id === 'contract_change' ? await findPerson(tx, user.personId) : undefined;
    record({
      type: 'ticket.created',
      ticket: { ...ticket, estateId: placement?.estateId ?? null },
      ...(requester && { requestedBy: requester }),
    });
    return { ticket, created: true };
  });
}
