/**
 * Staff "view as tenant" (issue 5 item 7): the tenant's own contracts, invoices, documents and
 * requests, computed by the tenant-side services for the tenant's login. Read-only by construction:
 * no session is switched and only list functions are called (listing does not mark documents read).
 * Every look is audited with the staff member's id (GDPR art. 5(2) accountability).
 */
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/http-error.ts';
import { findUserByPersonId } from '../../../db/repositories/users.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import { listMyContracts } from '../contracts.ts';
import { listMyInvoices } from '../invoices.ts';
import { listDocuments } from '../documents/tenant.ts';
import { listCustomerTickets } from '../tickets/list.ts';
import { getHome } from '../home.ts';
import { findTenantInScope } from './onboarding.ts';
import { personIdFrom } from './tenant-record.ts';
import type { TenantViewDto } from '../../../shared/api/staff-tenants.ts';

export async function viewAsTenant(
  deps: Deps,
  staff: SessionUser,
  rawPersonId: string,
): Promise<TenantViewDto> {
  const personId = personIdFrom(rawPersonId);
  const row = await findTenantInScope(deps, staff, personId);
  if (!row) throw notFound();
  const account = await findUserByPersonId(deps.db, personId);
  if (!account || account.role !== 'customer' || account.disabledAt)
    throw conflict('not_registered', 'This person has no login yet, so there is nothing to view.');
  const tenant: SessionUser = {
    id: account.id,
    personId,
    role: 'customer',
    loginEmail: account.loginEmail,
    language: account.language,
  };
  await insertAuditEntry(deps.db, {
    actorUserId: staff.id,
    action: 'staff.viewed_as_tenant',
    entityType: 'person',
    entityId: personId,
    data: { userId: account.id },
    createdAt: deps.now(),
  });
  const person = row.person;
  return {
    person: {
      id: personId,
      name: [person.firstName, person.lastName].filter(Boolean).join(' ') || person.organisationName || '',
      language: account.language,
    },
    home: await getHome(deps, tenant),
    contracts: await listMyContracts(deps, tenant),
    invoices: await listMyInvoices(deps, tenant, { unpaid: false }),
    documents: await listDocuments(deps, tenant),
    tickets: (await listCustomerTickets(deps, tenant, {})).map((ticket) => ({
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      createdAt: ticket.createdAt,
    })),
  };
}
