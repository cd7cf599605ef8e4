import { DEMO_LOGINS, DEMO_PASSWORD } from '../../../server/demo/demo-constants.ts';
import { strongPassword } from '../../helpers/fixtures.ts';
import type { Actor, DemoIdKey, DemoIds } from './demo-world.ts';

/** Which id fills `:id`, by the resource segment in front of it. */
const idBySegment: [segment: string, id: DemoIdKey][] = [
  ['/attachments/', 'attachmentId'],
  ['/tickets/', 'ticketId'],
  ['/invoices/', 'invoiceId'],
  ['/contracts/', 'contractId'],
  ['/documents/', 'documentId'],
  ['/ownerships/', 'ownershipId'],
  ['/incidents/', 'incidentId'],
  ['/notices/', 'noticeId'],
  ['/push/subscriptions/', 'pushSubscriptionId'],
  ['/canned-replies/', 'cannedReplyId'],
  ['/ticket-types/', 'ticketTypeId'],
  ['/admin/sla/', 'ticketTypeId'],
  ['/admin/teams/', 'probeTeamId'],
  ['/admin/staff/', 'probeStaffUserId'],
  ['/admin/api-keys/', 'probeApiKeyId'],
  ['/admin/imports/', 'probeImportRunId'],
  ['/admin/webhooks/', 'probeWebhookId'],
  ['/admin/contractors/', 'probeContractorId'],
];

/**
 * How a path parameter of the route table gets a real value: by the resource the path names.
 * Every id belongs to the demo tenant (Erika), so for anyone else it is "someone else's id".
 * Null when a parameter is unknown: the matrix entry must then say how to fill it (`path`).
 */
export function fillPath(path: string, ids: DemoIds): string | null {
  let unknown = false;
  const filled = path.replace(/:([A-Za-z]+)/g, (_match, name: string, offset: number) => {
    const before = path.slice(0, offset);
    // Not an id: a template's file name.
    if (name === 'file' && before.endsWith('/imports/templates/')) return 'units.csv';
    // Saved views belong to one staff member; the demo has none, so every caller probes a stranger's.
    if (name === 'viewId') return 'no-such-view';
    // Letter requests come from the public form; the demo has none.
    if (name === 'id' && before.endsWith('/letter-requests/')) return 'no-such-letter-request';
    // A mailed unsubscribe token: the probe's is made up, so nobody's.
    if (name === 'token' && before.endsWith('/unsubscribe/')) return 'bm9ib2R5.bm90LXNpZ25lZA';
    // A contractor's job link: the probe's is made up (right shape, no valid signature), so nobody's.
    if (name === 'token' && before.endsWith('/job/')) return `nobody.${'A'.repeat(43)}`;
    // A file under the job link: Erika's photo, reached only through a genuine link.
    if (name === 'fileId' && before.includes('/job/')) return ids.attachmentId;
    // A job link of Erika's ticket: the demo dispatches none, so every caller probes a stranger's.
    if (name === 'jobLinkId') return 'no-such-job-link';
    const key: DemoIdKey | undefined =
      name === 'personId'
        ? before.endsWith('/staff/tenants/')
          ? 'tenantPersonId'
          : 'householdPersonId'
        : name === 'replyId'
          ? 'cannedReplyId'
          : name === 'invitationId'
            ? 'householdInvitationId'
            : name === 'deliveryId'
              ? 'probeWebhookDeliveryId'
              : name === 'id'
                ? idBySegment.find(([segment]) => before.endsWith(segment))?.[1]
                : undefined;
    if (!key) unknown = true;
    return key ? ids[key] : '';
  });
  return unknown ? null : filled;
}

const staffPdf = (ids: DemoIds, actor: Actor) =>
  actor === 'staffMalmo' || actor === 'admin' ? ids.staffPdfs[actor] : ids.staffPdfs.staff;

let serial = 0;
/** Unique per call: client ids and invitation e-mails must not collide across actors. */
const next = () => `${Date.now().toString(36)}-${(serial++).toString(36)}`;

/**
 * A body that is valid where the schema is known, so a refusal can only come from authorization.
 * Routes whose valid body would end the actor's session or need a mailed token get a body that
 * the route rejects *after* its guard (400/409), which still proves the guard let the actor in.
 */
export const validBodies: Record<string, (ids: DemoIds, actor: Actor) => unknown> = {
  'POST /api/auth/login': () => ({ login: DEMO_LOGINS.tenant, password: DEMO_PASSWORD }),
  'POST /api/auth/register': () => ({
    code: 'NOPE-0000-XXXX',
    email: `nobody-${next()}@example.org`,
    password: strongPassword,
    acceptPrivacy: true,
    acceptTerms: true,
    acceptElectronicDelivery: true,
  }),
  'POST /api/auth/verify': () => ({ token: 'aaaaaaaaaa.bbbbbbbbbbbb' }),
  'POST /api/auth/password/forgot': () => ({ email: 'nobody@example.org' }),
  'POST /api/auth/password/reset': () => ({ token: 'aaaaaaaaaa.bbbbbbbbbbbb', password: strongPassword }),
  'POST /api/auth/email/confirm': () => ({ token: 'aaaaaaaaaa.bbbbbbbbbbbb' }),
  'PATCH /api/me': () => ({ language: 'de' }),
  // A wrong current password: the guard passed, nothing changes, no session is ended.
  'POST /api/me/password': () => ({ current: 'not-the-password-1', next: strongPassword }),
  'POST /api/me/email': () => {
    const email = `new-${next()}@example.org`;
    return { email, emailRepeat: email, password: 'not-the-password-1' };
  },
  'POST /api/tickets': () => ({
    type: 'general_correspondence',
    fields: { correspondence_topic: 'other' },
    description: 'Authorization matrix probe',
    clientId: `matrix-${next()}`,
  }),
  'POST /api/tickets/:id/messages': () => ({ body: 'Matrix probe', clientId: `matrix-${next()}` }),
  'POST /api/tickets/:id/rating': () => ({ rating: 5 }),
  'POST /api/tickets/:id/appointment/confirm': () => ({ slotId: 'no-such-slot' }),
  'POST /api/tickets/:id/appointment/move': () => ({ reason: 'Matrix probe' }),
  'POST /api/tickets/:id/repair-confirmation': () => ({ fixed: true, rating: 5 }),
  'POST /api/staff/tickets/:id/appointment': () => ({
    slots: [{ start: '2099-01-05T08:00:00Z', end: '2099-01-05T10:00:00Z' }],
    outsideWindows: true,
    contractorId: 'no-such-contractor',
  }),
  'DELETE /api/staff/tickets/:id/appointment': () => ({ reason: 'Matrix probe' }),
  'PATCH /api/staff/tickets/:id': () => ({ priority: 'normal' }),
  'POST /api/staff/tickets/:id/messages': () => ({
    body: 'Matrix probe',
    internal: true,
    clientId: `matrix-${next()}`,
  }),
  // Merging a ticket into itself: refused after the scope check (a real merge would close Erika's ticket).
  'POST /api/staff/tickets/:id/merge': (ids) => ({ intoTicketId: ids.ticketId }),
  // An unknown contractor: refused (400) after the guard, so no probe dispatches anything.
  'POST /api/staff/tickets/:id/dispatch': () => ({ contractorId: 'no-such-contractor' }),
  'POST /api/staff/tickets/:id/incident': () => ({ incidentId: null }),
  'POST /api/staff/tickets/bulk': (ids) => ({ ids: [ids.ticketId], priority: 'normal' }),
  'POST /api/staff/tickets/:id/macro': () => ({ priority: 'normal' }),
  'POST /api/staff/tickets/views': () => ({ name: 'Probe', query: { view: 'all' } }),
  'POST /api/staff/canned-replies': (ids) => ({
    teamId: ids.cannedReplyTeamId,
    title: `Matrix ${next()}`,
    body: 'Matrix probe',
  }),
  'PATCH /api/staff/canned-replies/:id': () => ({ title: 'Schaden: Fachbetrieb beauftragt' }),
  // Erika already has a login: 409 `nothing_to_print` / `already_registered` once in scope (no PDF, no code).
  'POST /api/staff/registration-letters': (ids) => ({ personIds: [ids.tenantPersonId] }),
  'PUT /api/staff/admin/ticket-types/:id': () => ({ active: true }),
  'PUT /api/staff/admin/business-hours': () => ({
    days: [1, 2, 3, 4, 5],
    start: '08:00',
    end: '17:00',
    holidays: [],
  }),
  'PUT /api/staff/admin/password-policy': () => ({ minLength: 12 }),
  'PUT /api/staff/admin/branding': () => ({
    name: 'Portier Wohnen',
    primaryColor: '#0b5cad',
    contactEmail: 'service@example.org',
    contactPhone: '+49 30 1234567',
  }),
  'POST /api/staff/admin/teams': () => ({ name: `Matrix ${next()}` }),
  'POST /api/staff/admin/api-keys': () => ({ name: `Matrix ${next()}`, scopes: ['read'] }),
  // Never sent: no webhook worker runs in the probe (a closed local port besides).
  'POST /api/staff/admin/webhooks': () => ({ url: 'http://127.0.0.1:9/matrix', events: ['ticket.created'] }),
  'POST /api/v1/import': () => ({ dryRun: true }),
  'PATCH /api/staff/admin/teams/:id': () => ({ name: 'Matrix probe team' }),
  'PUT /api/staff/admin/teams/:id/members': () => ({ userIds: [] }),
  'PUT /api/staff/admin/teams/:id/scopes': () => ({ scopes: [] }),
  'PUT /api/staff/admin/teams/:id/on-call': () => ({ shifts: [] }),
  'PUT /api/staff/admin/sla/:id': () => ({
    priorities: { low: null, normal: null, high: null, urgent: null },
  }),
  'POST /api/staff/admin/staff': () => ({
    firstName: 'Matrix',
    lastName: 'Probe',
    email: `staff-${next()}@example.org`,
    role: 'staff',
    language: 'de',
  }),
  'PATCH /api/staff/admin/staff/:id': () => ({ active: true }),
  'POST /api/staff/notices': (ids) => ({
    title: `Matrix ${next()}`,
    body: 'Matrix probe',
    category: 'general',
    scope: { kind: 'building', ids: [ids.buildingId] },
    validFrom: '2026-01-01T00:00:00Z',
  }),
  'PATCH /api/staff/notices/:id': () => ({ pinned: true }),
  'POST /api/staff/notices/reach': (ids) => ({ scope: { kind: 'building', ids: [ids.buildingId] } }),
  // Planned, not emergency: an emergency texts everyone in the house (notify/recipients.ts).
  'POST /api/staff/incidents': (ids) => ({
    title: `Matrix ${next()}`,
    body: 'Matrix probe',
    kind: 'planned',
    scope: { kind: 'building', ids: [ids.buildingId] },
  }),
  'POST /api/staff/incidents/reach': (ids) => ({
    kind: 'emergency',
    scope: { kind: 'building', ids: [ids.buildingId] },
  }),
  'POST /api/staff/incidents/:id/updates': () => ({ body: 'Matrix probe' }),
  'POST /api/staff/incidents/:id/tickets': (ids) => ({ ticketIds: [ids.ticketId] }),
  // The caller's own PDF (customers have none: they are refused by the guard before the body counts).
  'POST /api/staff/documents': (ids, actor) => ({
    title: `Matrix ${next()}`,
    type: 'letter',
    scope: { kind: 'contract', id: ids.contractId },
    attachmentId: staffPdf(ids, actor),
  }),
  'POST /api/staff/documents/bulk/preview': (ids, actor) => ({
    files: [{ attachmentId: staffPdf(ids, actor), fileName: `NK-2025_${ids.contractNumber}.pdf` }],
  }),
  'POST /api/staff/documents/bulk/publish': (ids, actor) => ({
    type: 'operating_cost_statement',
    title: `Matrix ${next()}`,
    items: [{ attachmentId: staffPdf(ids, actor), contractId: ids.contractId }],
  }),
  'POST /api/push/subscriptions': () => ({
    endpoint: `https://fcm.googleapis.com/fcm/send/matrix-${next()}`,
    keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) },
  }),
  'PATCH /api/profile': () => ({ phone: '+49 30 1234567' }),
  'PUT /api/settings/notifications': () => {
    const all = { email: true, push: false, sms: false, post: false };
    return { preferences: { documents: all, ticket_replies: all, notices: all, incidents: all } };
  },
  'POST /api/contracts/:id/household/invitations': () => ({
    firstName: 'Mia',
    lastName: 'Probe',
    email: `mia-${next()}@example.org`,
    access: 'read',
  }),
  'PATCH /api/contracts/:id/household/:personId': () => ({ access: 'read' }),
  'PUT /api/staff/admin/household': () => ({ removalNeedsApproval: false }),
};

/** Query strings some GET routes need to get past validation. */
export const validQueries: Record<string, (ids: DemoIds) => string> = {
  'GET /api/incidents/matching': (ids) => `?contractId=${ids.contractId}`,
  'GET /api/staff/documents/recipients': (ids) => `?q=${encodeURIComponent(ids.contractNumber)}`,
};
