import type { Actor } from './helpers/demo-world.ts';
import type { Outcome } from './helpers/probe.ts';

/**
 * The authorization matrix of issue 7 item 3: every API route and every client → server socket
 * event, for every actor, with the expected answer class (see `outcomeOf` in helpers/probe.ts:
 * 'ok' = got past every guard, 401 no session, 403 not allowed, 404 not found or not yours).
 * Path parameters always name Erika's data (the demo tenant), so `tenant` is the owner of the data
 * and everyone else is probing someone else's id. matrix.test.ts fails for a route or event that
 * has no entry here: adding a route means adding one line below.
 */
export type Row = Record<Actor, Outcome>;

const row = (base: Row, overrides: Partial<Row> = {}): Row => ({ ...base, ...overrides });
const customers = ['neighbour', 'householdMember', 'owner', 'tenant'] as const;
const staffish = ['staffMalmo', 'staff', 'admin'] as const;
const each = (actors: readonly Actor[], outcome: Outcome) =>
  Object.fromEntries(actors.map((actor) => [actor, outcome])) as Partial<Row>;

// ---- Presets: what a guard alone decides; the entries below refine them per route. ----

/** No guard at all (health, sign-in, mailed-link routes). */
const open: Row = row({
  anonymous: 'ok',
  neighbour: 'ok',
  householdMember: 'ok',
  owner: 'ok',
  staffMalmo: 'ok',
  staff: 'ok',
  admin: 'ok',
  tenant: 'ok',
});
/** requireUser: anyone signed in. */
const signedIn = row(open, { anonymous: 401 });
/** requireCustomer: tenants, household members and owners; staff use the console instead (403). */
const customerOnly = row(signedIn, each(staffish, 403));
/** requireStaff: every staff member and admin, whatever their scope; customers 403. */
const staffOnly = row(signedIn, each(customers, 403));
/** Erika's contract (and what hangs off it): her household reads it, other customers get 404. */
const contractData = row(customerOnly, { neighbour: 404, owner: 404 });
/** Erika's ticket via the tenant routes: her household and staff in scope read it. */
const ticketRead = row(signedIn, { neighbour: 404, owner: 404, staffMalmo: 404 });
/** Writes on Erika's ticket: a `read` household member sees it but gets 403 `read_only`. */
const ticketWrite = row(ticketRead, { householdMember: 403 });
/** Staff routes on Erika's Berlin ticket: Lars (Malmö only) is out of scope, so 404. */
const staffTicket = row(staffOnly, { staffMalmo: 404 });
/** requireAdmin: the admin console's settings; staff of every scope 403 `forbidden`. */
const adminOnly = row(staffOnly, { staffMalmo: 403, staff: 403 });
/**
 * Staff routes naming Erika's Berlin data (her person, contract, building, a notice or incident of
 * her house): staff in scope and admins get in, Lars (Malmö) gets 404 as for a missing id.
 */
const staffBerlin = row(staffOnly, { staffMalmo: 404 });
/** Something in Erika's building (notice, incident): the neighbour lives there too, the owner not. */
const buildingItem = row(customerOnly, { owner: 404, ...each(staffish, 404) });

export interface RouteEntry {
  expect: Row;
  /** Sign in anew before each request: the route ends the session it is called with. */
  freshSession?: boolean;
  /** The route ends every session of the caller: the shared sessions are signed in anew after it. */
  endsAllSessions?: boolean;
}

export const routeMatrix: Record<string, RouteEntry> = {
  'GET /api/health': { expect: open },
  'POST /api/auth/login': { expect: open },
  'POST /api/auth/logout': { expect: open, freshSession: true },
  'POST /api/auth/logout-everywhere': { expect: signedIn, freshSession: true, endsAllSessions: true },
  'POST /api/auth/register': { expect: open },
  // Sign-up by organisation or customer number: no guard; the probe's empty body is a 400.
  'POST /api/auth/register/by-number': { expect: open },
  'POST /api/auth/register/by-number/send': { expect: open },
  'POST /api/auth/register/by-number/confirm': { expect: open },
  // The public "send me a registration letter" form.
  'POST /api/registration-letter-requests': { expect: open },
  'POST /api/auth/verify': { expect: open },
  'POST /api/auth/password/forgot': { expect: open },
  'POST /api/auth/password/reset': { expect: open },
  'POST /api/auth/email/confirm': { expect: open },
  'GET /api/auth/password-policy': { expect: open },
  'GET /api/me': { expect: signedIn },
  'PATCH /api/me': { expect: signedIn },
  'POST /api/me/password': { expect: signedIn },
  'POST /api/me/email': { expect: signedIn },
  // The caller's own pending change only (no id to name another's); nothing pending is a 200 no-op.
  'GET /api/me/email': { expect: signedIn },
  'DELETE /api/me/email': { expect: signedIn },
  'POST /api/uploads': { expect: signedIn },
  'GET /api/attachments/:id': { expect: ticketRead },
  'GET /api/attachments/:id/thumbnail': { expect: ticketRead },
  'GET /api/ticket-types': { expect: signedIn },
  'GET /api/tickets': { expect: signedIn },
  // Staff answer 400 (no contract of their own to file on): past the guard, documented as 'ok'.
  'POST /api/tickets': { expect: row(signedIn, { householdMember: 403 }) },
  'GET /api/tickets/:id': { expect: ticketRead },
  // Older pages of Erika's dialog: the same readers as the ticket itself.
  'GET /api/tickets/:id/messages': { expect: ticketRead },
  'POST /api/tickets/:id/messages': { expect: ticketWrite },
  // The rating is the tenant's verdict on the service (seed 003/004): staff must not set it.
  'POST /api/tickets/:id/rating': { expect: row(ticketWrite, each(staffish, 403)) },
  'POST /api/tickets/:id/reopen': { expect: ticketWrite },
  // Repair appointments (issue 20): the household reads; the tenant answers (409 `no_appointment`
  // past the guards: the demo proposes none); staff answer in the console (403).
  'GET /api/tickets/:id/appointment': { expect: ticketRead },
  // Only a confirmed appointment has a calendar file: none in the demo, so 404 past the guards.
  'GET /api/tickets/:id/appointment.ics': {
    expect: row(ticketRead, { tenant: 404, householdMember: 404, staff: 404, admin: 404 }),
  },
  'POST /api/tickets/:id/appointment/confirm': { expect: row(ticketWrite, each(staffish, 403)) },
  'POST /api/tickets/:id/appointment/move': { expect: row(ticketWrite, each(staffish, 403)) },
  // A finished repair's confirmation: none is asked in the demo, so 404 past the guards; the
  // answer is the household's (409 `not_asked` past the guards), staff 403 as for the rating.
  'GET /api/tickets/:id/repair-confirmation': {
    expect: row(ticketRead, { tenant: 404, householdMember: 404, staff: 404, admin: 404 }),
  },
  'POST /api/tickets/:id/repair-confirmation': { expect: row(ticketWrite, each(staffish, 403)) },
  'GET /api/staff/tickets': { expect: staffOnly },
  'GET /api/staff/tickets/counts': { expect: staffOnly },
  'GET /api/staff/tickets/facets': { expect: staffOnly },
  'GET /api/staff/tickets/views': { expect: staffOnly },
  'POST /api/staff/tickets/views': { expect: staffOnly },
  // Views are their owner's alone: an id no one of them made is 404 for every staff member.
  'DELETE /api/staff/tickets/views/:viewId': { expect: row(staffOnly, each(staffish, 404)) },
  'POST /api/staff/tickets/bulk': { expect: staffTicket },
  'POST /api/staff/tickets/:id/macro': { expect: staffTicket },
  'GET /api/staff/tickets/:id': { expect: staffTicket },
  'GET /api/staff/tickets/:id/messages': { expect: staffTicket },
  'PATCH /api/staff/tickets/:id': { expect: staffTicket },
  'POST /api/staff/tickets/:id/messages': { expect: staffTicket },
  'POST /api/staff/tickets/:id/merge': { expect: staffTicket },
  'POST /api/staff/tickets/:id/incident': { expect: staffTicket },
  'GET /api/staff/tickets/:id/appointment': { expect: staffTicket },
  // An unknown contractor (400 after the scope check); nothing to cancel (409): nothing is changed.
  'POST /api/staff/tickets/:id/appointment': { expect: staffTicket },
  'DELETE /api/staff/tickets/:id/appointment': { expect: staffTicket },
  'GET /api/staff/tickets/:id/canned-replies/:replyId/render': { expect: staffTicket },
  'GET /api/staff/canned-replies': { expect: staffOnly },
  // The Berlin team's replies: its members and admins; Lars (Malmö team) gets 404 for them.
  'POST /api/staff/canned-replies': { expect: row(staffOnly, { staffMalmo: 404 }) },
  'PATCH /api/staff/canned-replies/:id': { expect: staffTicket },
  'DELETE /api/staff/canned-replies/:id': { expect: staffTicket },
  // Lists answer every staff member, filtered to their scope (matrix.test.ts checks the filtering).
  'GET /api/staff/tenants': { expect: staffOnly },
  // Erika has a login: in scope the answer is 409 `already_registered` (past every guard).
  'POST /api/staff/tenants/:personId/registration-code': { expect: staffBerlin },
  'GET /api/staff/tenants/:personId/view': { expect: staffBerlin },
  // The tenant record and its card beside a case (issue 15 item 5): Erika's person, Lars gets 404.
  'GET /api/staff/tenants/:personId': { expect: staffBerlin },
  'GET /api/staff/tenants/:personId/summary': { expect: staffBerlin },
  // `personIds: [Erika]`: 409 `nothing_to_print` in scope (she is registered), 404 for Lars.
  'POST /api/staff/registration-letters': { expect: staffBerlin },
  // Letter requests name a free-text address, so every staff member sees them all; the demo has
  // none, so the probe's id is nobody's and every staff member gets 404.
  'GET /api/staff/letter-requests': { expect: staffOnly },
  'POST /api/staff/letter-requests/:id/done': { expect: row(staffOnly, each(staffish, 404)) },
  'GET /api/staff/admin/ticket-types': { expect: adminOnly },
  'PUT /api/staff/admin/ticket-types/:id': { expect: adminOnly },
  'GET /api/staff/admin/password-policy': { expect: adminOnly },
  'PUT /api/staff/admin/password-policy': { expect: adminOnly },
  'GET /api/staff/admin/branding': { expect: adminOnly },
  'PUT /api/staff/admin/branding': { expect: adminOnly },
  'GET /api/staff/admin/business-hours': { expect: adminOnly },
  'PUT /api/staff/admin/business-hours': { expect: adminOnly },
  // JSON sent where multipart is required: 415 `multipart_required`, after the admin guard.
  'POST /api/staff/admin/branding/logo': { expect: adminOnly },
  'DELETE /api/staff/admin/branding/logo': { expect: adminOnly },
  // Teams and accounts: `:id` names a probe team / staff account the admin made (demo-world.ts).
  // The contractor directory: `:id` names a probe contractor the admin made (demo-world.ts).
  'GET /api/staff/admin/contractors': { expect: adminOnly },
  'POST /api/staff/admin/contractors': { expect: adminOnly },
  'GET /api/staff/admin/contractors/:id': { expect: adminOnly },
  'PATCH /api/staff/admin/contractors/:id': { expect: adminOnly },
  'DELETE /api/staff/admin/contractors/:id': { expect: adminOnly },
  // The dispatch picker, filtered to the caller's scope.
  'GET /api/staff/contractors': { expect: staffOnly },
  'GET /api/staff/admin/api-keys': { expect: adminOnly },
  'POST /api/staff/admin/api-keys': { expect: adminOnly },
  'DELETE /api/staff/admin/api-keys/:id': { expect: adminOnly },
  // Webhooks to the ERP: `:id` names a probe webhook the admin made, `:deliveryId` its delivery.
  'GET /api/staff/admin/webhooks': { expect: adminOnly },
  'POST /api/staff/admin/webhooks': { expect: adminOnly },
  'GET /api/staff/admin/webhooks/:id': { expect: adminOnly },
  'DELETE /api/staff/admin/webhooks/:id': { expect: adminOnly },
  'GET /api/staff/admin/webhooks/:id/deliveries': { expect: adminOnly },
  'POST /api/staff/admin/webhooks/:id/deliveries/:deliveryId/resend': { expect: adminOnly },
  'POST /api/staff/admin/webhooks/:id/rotate-secret': { expect: adminOnly },
  // Machines only (API keys): a session, any session, is no key (tests/integration/erp-import.test.ts).
  'POST /api/v1/import': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 401)) },
  'GET /api/staff/admin/imports': { expect: adminOnly },
  'POST /api/staff/admin/imports': { expect: adminOnly },
  'GET /api/staff/admin/imports/:id': { expect: adminOnly },
  'GET /api/staff/admin/imports/templates/import-template.xlsx': { expect: adminOnly },
  'GET /api/staff/admin/imports/templates/:file': { expect: adminOnly },
  'GET /api/staff/admin/teams': { expect: adminOnly },
  'POST /api/staff/admin/teams': { expect: adminOnly },
  'PATCH /api/staff/admin/teams/:id': { expect: adminOnly },
  'DELETE /api/staff/admin/teams/:id': { expect: adminOnly },
  'PUT /api/staff/admin/teams/:id/members': { expect: adminOnly },
  'PUT /api/staff/admin/teams/:id/scopes': { expect: adminOnly },
  'GET /api/staff/admin/teams/:id/on-call': { expect: adminOnly },
  'PUT /api/staff/admin/teams/:id/on-call': { expect: adminOnly },
  'GET /api/staff/admin/sla': { expect: adminOnly },
  'PUT /api/staff/admin/sla/:id': { expect: adminOnly },
  'GET /api/staff/admin/staff': { expect: adminOnly },
  'POST /api/staff/admin/staff': { expect: adminOnly },
  'PATCH /api/staff/admin/staff/:id': { expect: adminOnly },
  // The mailed one-click unsubscribe (RFC 8058): no session, the signed token alone decides, so a
  // made-up token is unknown to everyone (tests/integration/mail-headers.test.ts has genuine ones).
  'GET /api/unsubscribe/:token': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'POST /api/unsubscribe/:token': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  // A contractor's job link (issue 20): no session, the signed token alone decides, so a made-up
  // token is unknown to everyone, signed in or not; genuine, forged, expired and revoked links,
  // another ticket's file and the throttle: tests/integration/repairs-dispatch.test.ts.
  'GET /api/job/:token': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'POST /api/job/:token/accept': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'POST /api/job/:token/decline': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'POST /api/job/:token/done': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'POST /api/job/:token/slots': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'POST /api/job/:token/uploads': { expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)) },
  'GET /api/job/:token/files/:fileId': {
    expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)),
  },
  'GET /api/job/:token/files/:fileId/thumbnail': {
    expect: row(open, each([...customers, ...staffish, 'anonymous'], 404)),
  },
  // Dispatching Erika's ticket to a contractor: staff in scope (Lars 404). The probe's job link id
  // is made up, so withdrawing answers 404 to staff in scope too.
  'GET /api/staff/tickets/:id/dispatch': { expect: staffTicket },
  'POST /api/staff/tickets/:id/dispatch': { expect: staffTicket },
  'DELETE /api/staff/tickets/:id/dispatch/:jobLinkId': {
    expect: row(staffTicket, { staff: 404, admin: 404 }),
  },
  // Public: the login page shows name and logo before anyone signs in (a logo is uploaded first).
  'GET /api/branding': { expect: open },
  'GET /api/branding/logo': { expect: open },
  'GET /api/staff/notices': { expect: staffOnly },
  'GET /api/staff/notices/places': { expect: staffOnly },
  // Posting to Erika's building: a place outside the scope answers 404 like a missing one.
  'POST /api/staff/notices': { expect: staffBerlin },
  // "How many get it" for Erika's building: the same place check as publishing.
  'POST /api/staff/notices/reach': { expect: staffBerlin },
  'PATCH /api/staff/notices/:id': { expect: staffBerlin },
  'DELETE /api/staff/notices/:id': { expect: staffBerlin },
  'GET /api/staff/incidents': { expect: staffOnly },
  'POST /api/staff/incidents': { expect: staffBerlin },
  'POST /api/staff/incidents/reach': { expect: staffBerlin },
  'POST /api/staff/incidents/:id/updates': { expect: staffBerlin },
  'POST /api/staff/incidents/:id/close': { expect: staffBerlin },
  'POST /api/staff/incidents/:id/tickets': { expect: staffBerlin },
  // Reports: a team or building outside the scope is a 404 (tests/integration/staff-reports.test.ts).
  'GET /api/staff/reports/filters': { expect: staffOnly },
  'GET /api/staff/reports/tickets': { expect: staffOnly },
  'GET /api/staff/reports/tickets.csv': { expect: staffOnly },
  'GET /api/staff/reports/contractors': { expect: staffOnly },
  'GET /api/staff/documents': { expect: staffOnly },
  // Searching Erika's contract number: staff of every scope get 200, Lars an empty list (tested in
  // tests/integration/staff-documents.test.ts).
  'GET /api/staff/documents/recipients': { expect: staffOnly },
  // The ownerships a document can be filed to, filtered to the caller's scope.
  'GET /api/staff/documents/ownerships': { expect: staffOnly },
  // To Erika's contract, each staff actor with their own uploaded PDF.
  'POST /api/staff/documents': { expect: staffBerlin },
  // A preview only matches files to contracts in scope: Lars's answer is 200 with a miss (checked below).
  'POST /api/staff/documents/bulk/preview': { expect: staffOnly },
  'POST /api/staff/documents/bulk/publish': { expect: staffBerlin },
  'GET /api/incidents': { expect: signedIn },
  // `?contractId=` names Erika's contract; staff have no customer scope, so it is not theirs (404).
  'GET /api/incidents/matching': { expect: row(contractData, each(staffish, 404)) },
  'POST /api/incidents/:id/follow': { expect: buildingItem },
  'DELETE /api/incidents/:id/follow': { expect: buildingItem },
  'GET /api/notices': { expect: signedIn },
  'POST /api/notices/:id/read': { expect: buildingItem },
  'GET /api/documents': { expect: customerOnly },
  'GET /api/documents/types': { expect: customerOnly },
  'GET /api/documents/:id/file': { expect: contractData },
  'GET /api/profile': { expect: customerOnly },
  'PATCH /api/profile': { expect: customerOnly },
  'GET /api/settings/notifications': { expect: customerOnly },
  'PUT /api/settings/notifications': { expect: customerOnly },
  'GET /api/push/subscriptions': { expect: customerOnly },
  // Devices of the signed-in user, staff included (server/routes/push.ts shadows profile.ts's customer-only one).
  'GET /api/push/public-key': { expect: signedIn },
  'POST /api/push/subscriptions': { expect: signedIn },
  'DELETE /api/push/subscriptions': { expect: signedIn },
  'POST /api/push/test': { expect: signedIn },
  'DELETE /api/push/subscriptions/:id': { expect: row(customerOnly, each(customers.slice(0, 3), 404)) },
  'GET /api/contracts/:id/household': { expect: contractData },
  // Only the main tenant manages the household (403 `not_main_tenant` for the read member).
  'POST /api/contracts/:id/household/invitations': { expect: row(contractData, { householdMember: 403 }) },
  'PATCH /api/contracts/:id/household/:personId': { expect: row(contractData, { householdMember: 403 }) },
  'DELETE /api/contracts/:id/household/:personId': { expect: row(contractData, { householdMember: 403 }) },
  // Staff approve a removal the main tenant asked for: only staff with the contract in scope.
  'DELETE /api/staff/contracts/:id/household/:personId': { expect: staffBerlin },
  'GET /api/staff/admin/household': { expect: adminOnly },
  'PUT /api/staff/admin/household': { expect: adminOnly },
  'DELETE /api/contracts/:id/household/invitations/:invitationId': {
    expect: row(contractData, { householdMember: 403 }),
  },
  'GET /api/contacts': { expect: customerOnly },
  'GET /api/owner/units': { expect: customerOnly },
  'GET /api/owner/ownerships': { expect: customerOnly },
  // The one path id that is not Erika's: Olaf's ownership, so the owner is the one customer let in.
  'GET /api/owner/ownerships/:id': {
    expect: row(customerOnly, { neighbour: 404, householdMember: 404, tenant: 404 }),
  },
  'GET /api/owner/documents': { expect: customerOnly },
  'GET /api/home': { expect: customerOnly },
  'GET /api/contracts': { expect: customerOnly },
  'GET /api/contracts/:id': { expect: contractData },
  'GET /api/contracts/:id/ledger': { expect: contractData },
  'GET /api/contracts/:id/signed.pdf': { expect: contractData },
  'GET /api/contracts/:id/certificates/rent.pdf': { expect: contractData },
  'GET /api/contracts/:id/certificates/residence.pdf': { expect: contractData },
  'GET /api/invoices': { expect: customerOnly },
  'GET /api/invoices/:id': { expect: contractData },
  'GET /api/invoices/:id/pdf': { expect: contractData },
};

/** Socket answers: 'ok' or the ack's `error.code`. Anonymous never gets past the handshake. */
export type SocketOutcome = 'ok' | 'not_found' | 'read_only';
export type SocketRow = Record<Exclude<Actor, 'anonymous'>, SocketOutcome>;

/** Erika's ticket over the socket: exactly the HTTP visibility (API.md "Live"). */
const socketTicketRead: SocketRow = {
  neighbour: 'not_found',
  householdMember: 'ok',
  owner: 'not_found',
  staffMalmo: 'not_found',
  staff: 'ok',
  admin: 'ok',
  tenant: 'ok',
};

export const socketMatrix: Record<string, SocketRow> = {
  resync: { ...socketTicketRead, neighbour: 'ok', owner: 'ok', staffMalmo: 'ok' },
  'message.send': { ...socketTicketRead, householdMember: 'read_only' },
  typing: socketTicketRead,
  read: socketTicketRead,
  viewing: socketTicketRead,
};
