import { sql } from 'drizzle-orm';
import { isPostgres, rawRows } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';

/** What makes up a customer's app badge (server/notify/badge.ts explains the choice). */
export interface BadgeParts {
  /** Requests with a public staff reply newer than the user's read mark. */
  tickets: number;
  /** Visible documents the user has never opened (the home page's "new documents"). */
  documents: number;
  /** Current important notices of their places the user has not read. */
  notices: number;
}

interface BadgeRow {
  user_id: string;
  // PostgreSQL answers count(*) as a bigint, which node-postgres reads as a string.
  tickets: number | string;
  documents: number | string;
  notices: number | string;
}

/**
 * The badge parts of many customers in ONE statement, however many tickets, documents and notices
 * there are. The scope is the one every tenant request uses (server/services/access.ts: current
 * contract parties and ownerships on the landlord's date) and the visibility rules repeat
 * tickets.ts `listTicketsOfCustomer`, documents.ts `visibleTo` and notices.ts `placeCondition`;
 * each branch is a UNION arm on its own index instead of one OR that scans the table.
 * Staff accounts and unknown ids are left out of the map (they have no tenant app to badge).
 */
export async function countBadgeParts(
  db: DbOrTx,
  userIds: readonly string[],
  now: Date,
  today: string,
): Promise<Map<string, BadgeParts>> {
  if (userIds.length === 0) return new Map();
  // What differs between the stores: the id list (one JSON parameter, however many ids), instants
  // (SQLite's integer milliseconds, PostgreSQL's timestamptz) and booleans (0/1 against boolean).
  const postgres = isPostgres(db);
  const ids = JSON.stringify(userIds);
  const idList = postgres
    ? sql`select jsonb_array_elements_text(${ids}::jsonb)`
    : sql`select value from json_each(${ids})`;
  const nowAt = postgres ? sql`${now.toISOString()}::timestamptz` : sql`${now.getTime()}`;
  const neverRead = postgres ? sql`'-infinity'::timestamptz` : sql`-1`;
  const isTrue = postgres ? sql`true` : sql`1`;
  const rows = await rawRows<BadgeRow>(
    db,
    sql`
    with
    recipient as (
      select u.id as user_id, u.person_id from users u
      where u.role = 'customer' and u.id in (${idList})
    ),
    placement as (
      select r.user_id, cp.contract_id, un.id as unit_id, un.building_id, b.estate_id
      from recipient r
      join contract_parties cp on cp.person_id = r.person_id and (cp.until is null or cp.until >= ${today})
      join contract_units cu on cu.contract_id = cp.contract_id
      join units un on un.id = cu.unit_id
      join buildings b on b.id = un.building_id
    ),
    owned as (
      select r.user_id, o.unit_id, un.building_id, b.estate_id
      from recipient r
      join ownerships o on o.person_id = r.person_id and (o.until is null or o.until >= ${today})
      join units un on un.id = o.unit_id
      join buildings b on b.id = un.building_id
    ),
    my_ticket as (
      select r.user_id, t.id as ticket_id from recipient r
      join tickets t on t.created_by_user_id = r.user_id and t.merged_into_id is null
      union
      select p.user_id, t.id from placement p
      join tickets t on t.contract_id = p.contract_id and t.merged_into_id is null
    ),
    ticket_count as (
      select mt.user_id, count(*) as n from my_ticket mt
      where exists (
        select 1 from ticket_messages m join users a on a.id = m.author_user_id
        where m.ticket_id = mt.ticket_id and m.visibility = 'public' and m.kind = 'message'
          and a.role in ('staff', 'admin')
          and m.created_at > coalesce(
            (select tr.read_at from ticket_reads tr where tr.ticket_id = mt.ticket_id and tr.user_id = mt.user_id),
            ${neverRead})
      )
      group by mt.user_id
    ),
    my_document as (
      select r.user_id, d.id as document_id from recipient r
      join documents d on d.scope = 'person' and d.person_id = r.person_id
      union
      select p.user_id, d.id from placement p
      join documents d on d.scope = 'contract' and d.contract_id = p.contract_id
      union
      select p.user_id, d.id from placement p
      join documents d on d.scope = 'building' and d.building_id = p.building_id and d.audience in ('all', 'tenants')
      union
      select o.user_id, d.id from owned o
      join documents d on d.scope = 'building' and d.building_id = o.building_id and d.audience in ('all', 'owners')
      union
      select p.user_id, d.id from placement p
      join documents d on d.scope = 'estate' and d.estate_id = p.estate_id and d.audience in ('all', 'tenants')
      union
      select o.user_id, d.id from owned o
      join documents d on d.scope = 'estate' and d.estate_id = o.estate_id and d.audience in ('all', 'owners')
    ),
    document_count as (
      select md.user_id, count(*) as n from my_document md
      join documents d on d.id = md.document_id and d.published_at <= ${nowAt}
      where not exists (
        select 1 from document_reads dr where dr.document_id = md.document_id and dr.user_id = md.user_id
      )
      group by md.user_id
    ),
    place as (
      select user_id, unit_id, building_id, estate_id from placement
      union
      select user_id, unit_id, building_id, estate_id from owned
    ),
    my_notice as (
      select pl.user_id, n.id as notice_id from place pl
      join notices n on n.scope = 'building' and n.building_id = pl.building_id
      union
      select pl.user_id, n.id from place pl
      join notices n on n.scope = 'estate' and n.estate_id = pl.estate_id
      union
      select pl.user_id, nu.notice_id from place pl
      join notice_units nu on nu.unit_id = pl.unit_id
      join notices n on n.id = nu.notice_id and n.scope = 'units'
    ),
    notice_count as (
      select mn.user_id, count(*) as n from my_notice mn
      join notices n on n.id = mn.notice_id
      where n.important = ${isTrue} and n.deleted_at is null and n.publish_at <= ${nowAt}
        and (n.valid_to is null or n.valid_to >= ${nowAt})
        and not exists (
          select 1 from notice_reads nr where nr.notice_id = mn.notice_id and nr.user_id = mn.user_id
        )
      group by mn.user_id
    )
    select r.user_id,
      coalesce(tc.n, 0) as tickets,
      coalesce(dc.n, 0) as documents,
      coalesce(nc.n, 0) as notices
    from recipient r
    left join ticket_count tc on tc.user_id = r.user_id
    left join document_count dc on dc.user_id = r.user_id
    left join notice_count nc on nc.user_id = r.user_id
  `,
  );
  return new Map(
    rows.map((row) => [
      row.user_id,
      { tickets: Number(row.tickets), documents: Number(row.documents), notices: Number(row.notices) },
    ]),
  );
}
