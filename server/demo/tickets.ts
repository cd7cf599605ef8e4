import type {
  TicketInsert,
  TicketStatusChangeInsert,
  TicketTypeInsert,
} from '../../db/repositories/tickets.ts';
import type { TicketMessageInsert, TicketReadInsert } from '../../db/repositories/ticket-messages.ts';
import {
  fieldsSchema,
  findTicketTypeDefinition,
  priorityForFields,
  ticketTypeDefinitions,
  type TicketFields,
} from '../../shared/ticket-types.ts';
import { addDays, daysBefore, germanDate, isoDateOf } from './calendar.ts';
import type { SeedContext } from './context.ts';
import type { ContractPlan } from './contracts.ts';
import { DEMO_TICKET_SUBJECTS, type DemoLogin } from './demo-constants.ts';
import { defaultSubjectLocale, ticketSubjects, type SubjectInput } from '../../shared/ticket-subject.ts';

function seedSubjects(input: SubjectInput) {
  const subjects = ticketSubjects(input);
  return { subject: subjects[defaultSubjectLocale], subjects, title: input.title ?? null };
}
import type { StaffPlan } from './staff.ts';
import type { UserInsert } from './people.ts';

type Status = NonNullable<TicketInsert['status']>;

export interface TicketsPlan {
  types: TicketTypeInsert[];
  tickets: (TicketInsert & { id: string })[];
  messages: TicketMessageInsert[];
  history: TicketStatusChangeInsert[];
  reads: TicketReadInsert[];
}

/** The seeded ticket types are the shared definitions, stored as data (DESIGN.md "Ticket types are data"). */
export function planTicketTypes(): TicketTypeInsert[] {
  return ticketTypeDefinitions.map((type) => ({
    id: type.id,
    form: type.form,
    slaFirstResponseHours: type.slaHours.firstResponse,
    slaResolutionHours: type.slaHours.resolution,
    defaultPriority: type.defaultPriority,
    active: true,
    sort: type.sort,
  }));
}

interface TicketStory {
  type: string;
  subject: string;
  description: string;
  fields: TicketFields;
  by: UserInsert;
  contract: ContractPlan;
  unit: boolean;
  createdAt: Date;
  assignee?: UserInsert;
  /** Status changes after creation, each by staff at a time. */
  statuses: { to: Status; at: Date }[];
  messages: { by: UserInsert; at: Date; body: string; internal?: boolean }[];
  rating?: number;
}

export interface TicketInputs {
  context: SeedContext;
  users: Record<DemoLogin, UserInsert>;
  tenantContract: ContractPlan;
  neighbourContract: ContractPlan;
  staff: StaffPlan;
}

function stories(inputs: TicketInputs): TicketStory[] {
  const { context, users, tenantContract, neighbourContract } = inputs;
  const at = (days: number, hours = 0) => daysBefore(context.now, days, hours);
  const erika = users.tenant;
  const sabine = users.staff;
  const created = at(6, 2);
  const visitDay = germanDate(addDays(context.today, 2));
  const windowDay = (days: number) => isoDateOf(new Date(created.getTime() + days * 86_400_000));
  return [
    {
      type: 'general_correspondence',
      subject: DEMO_TICKET_SUBJECTS.operatingCostsQuestion,
      description:
        'Guten Tag, in meiner Betriebskostenabrechnung ist die Gartenpflege deutlich teurer als im Vorjahr. Können Sie mir das erklären?',
      fields: { correspondence_topic: 'operating_costs' },
      by: erika,
      contract: tenantContract,
      unit: true,
      createdAt: at(38),
      assignee: sabine,
      statuses: [
        { to: 'in_progress', at: at(37) },
        { to: 'resolved', at: at(33) },
      ],
      messages: [
        {
          by: sabine,
          at: at(37),
          body: 'Guten Tag Frau Mustermann, im Abrechnungsjahr wurden die Hecken im Hof erstmals durch eine Fachfirma zurückgeschnitten. Das war eine einmalige Maßnahme; im laufenden Jahr sinken die Kosten wieder.',
        },
        { by: erika, at: at(34), body: 'Vielen Dank für die schnelle Erklärung!' },
      ],
      rating: 5,
    },
    {
      type: 'damage_report',
      subject: DEMO_TICKET_SUBJECTS.leakingTap,
      description: 'Der Wasserhahn in der Küche tropft seit einigen Tagen, auch wenn er ganz zugedreht ist.',
      fields: {
        location: 'flat',
        room: 'kitchen',
        component: 'tap',
        urgency: 'normal',
        permission_to_enter: true,
        availability: [
          { date: windowDay(7), from: '08:00', to: '12:00' },
          { date: windowDay(9), from: '08:00', to: '12:00' },
        ],
        pets_at_home: true,
      },
      by: erika,
      contract: tenantContract,
      unit: true,
      createdAt: created,
      assignee: sabine,
      statuses: [{ to: 'in_progress', at: at(5, 0) }],
      messages: [
        {
          by: sabine,
          at: at(5, 0),
          body: 'Guten Tag Frau Mustermann, danke für Ihre Meldung. Wir beauftragen einen Sanitärbetrieb, der sich zur Terminabstimmung bei Ihnen meldet.',
        },
        {
          by: sabine,
          at: at(5, -1),
          internal: true,
          body: 'Auftrag an Sanitär Schulze GmbH: Kartusche Einhebelmischer Küche tauschen. Kostenrahmen 150 €.',
        },
        {
          by: erika,
          at: at(4, -10),
          body: 'Danke! Vormittags passt es mir am besten, siehe meine Zeitfenster. Die Katze ist dann im Schlafzimmer.',
        },
        {
          by: sabine,
          at: at(1),
          body: `Der Sanitärbetrieb kommt am ${visitDay} zwischen 8 und 10 Uhr. Bitte geben Sie uns Bescheid, falls das nicht passt.`,
        },
      ],
    },
    {
      type: 'damage_report',
      subject: DEMO_TICKET_SUBJECTS.staircaseLight,
      description: 'Im 2. OG geht das Licht im Treppenhaus nicht mehr an. Abends ist es dort stockdunkel.',
      fields: { location: 'staircase', room: 'stairs', component: 'lighting', urgency: 'urgent' },
      by: users.neighbour,
      contract: neighbourContract,
      unit: false,
      createdAt: at(2, -6),
      statuses: [],
      messages: [],
    },
    {
      type: 'pet_permission',
      subject: DEMO_TICKET_SUBJECTS.petRequest,
      description: 'Wir möchten eine zweite Katze aus dem Tierheim aufnehmen und bitten um Ihre Zustimmung.',
      fields: { species: 'cat', breed: 'Europäisch Kurzhaar' },
      by: erika,
      contract: tenantContract,
      unit: true,
      createdAt: at(0, 5),
      statuses: [],
      messages: [],
    },
  ];
}

/** Erika's requests in three states (API.md) and the neighbour's staircase report, overdue on purpose. */
export function planTickets(inputs: TicketInputs): TicketsPlan {
  const { context, staff, users } = inputs;
  const plan: TicketsPlan = { types: planTicketTypes(), tickets: [], messages: [], history: [], reads: [] };
  const sequenceByYear = new Map<number, number>();
  const ordered = stories(inputs).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const [index, story] of ordered.entries()) {
    const type = findTicketTypeDefinition(story.type);
    if (!type) throw new Error(`unknown ticket type ${story.type}`);
    // The demo's own fixtures go through the same schema as the PWA's requests.
    const fields = fieldsSchema(type).parse(story.fields);
    const year = story.createdAt.getUTCFullYear();
    const sequence = (sequenceByYear.get(year) ?? 0) + 1;
    sequenceByYear.set(year, sequence);
    const id = context.newId();
    const hours = (count: number) => new Date(story.createdAt.getTime() + count * 3_600_000);
    const publicTimes = story.messages
      .filter((message) => !message.internal)
      .map((message) => message.at.getTime());
    const resolved = story.statuses.find((change) => change.to === 'resolved');
    const firstStaffReply = story.messages.find(
      (message) => message.by.role !== 'customer' && !message.internal,
    );
    const status = story.statuses.at(-1)?.to ?? 'new';
    plan.tickets.push({
      id,
      number: `${year}-${String(sequence).padStart(6, '0')}`,
      typeId: type.id,
      fields,
      // The demo tenants gave their own titles; the subject leads with the type in every language.
      ...seedSubjects({ typeId: type.id, form: type.form, fields, title: story.subject }),
      description: story.description,
      status,
      priority: priorityForFields(type, fields),
      createdByUserId: story.by.id,
      contractId: story.contract.row.id,
      unitId: story.unit ? story.contract.unit.row.id : null,
      buildingId: story.contract.building.row.id,
      teamId: story.contract.building.row.country === 'SE' ? staff.teams.malmo.id : staff.teams.berlin.id,
      assigneeId: story.assignee?.id ?? null,
      clientId: `demo-${index + 1}`,
      firstResponseDueAt: hours(type.slaHours.firstResponse),
      resolutionDueAt: hours(type.slaHours.resolution),
      firstRespondedAt: firstStaffReply?.at ?? null,
      resolvedAt: resolved?.at ?? null,
      rating: story.rating ?? null,
      lastActivityAt: new Date(
        Math.max(story.createdAt.getTime(), resolved?.at.getTime() ?? 0, ...publicTimes),
      ),
      createdAt: story.createdAt,
    });
    plan.history.push({
      id: context.newId(),
      ticketId: id,
      fromStatus: null,
      toStatus: 'new',
      changedByUserId: story.by.id,
      createdAt: story.createdAt,
    });
    let from: Status = 'new';
    for (const change of story.statuses) {
      plan.history.push({
        id: context.newId(),
        ticketId: id,
        fromStatus: from,
        toStatus: change.to,
        changedByUserId: users.staff.id,
        createdAt: change.at,
      });
      from = change.to;
    }
    const messageIds = story.messages.map((message) => {
      const messageId = context.newId();
      plan.messages.push({
        id: messageId,
        ticketId: id,
        authorUserId: message.by.id,
        body: message.body,
        visibility: message.internal ? 'internal' : 'public',
        createdAt: message.at,
      });
      return messageId;
    });
    // Erika has read up to her own last message, so the newest staff reply shows as unread.
    const lastOwn = story.messages.map((message) => message.by.id).lastIndexOf(story.by.id);
    if (lastOwn >= 0) {
      plan.reads.push({
        ticketId: id,
        userId: story.by.id,
        lastReadMessageId: messageIds[lastOwn],
        readAt: story.messages[lastOwn]?.at ?? story.createdAt,
      });
    }
    if (story.assignee && messageIds.length > 0) {
      plan.reads.push({
        ticketId: id,
        userId: story.assignee.id,
        lastReadMessageId: messageIds.at(-1),
        readAt: story.messages.at(-1)?.at ?? story.createdAt,
      });
    }
  }
  return plan;
}
