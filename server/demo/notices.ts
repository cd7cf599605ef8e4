import type {
  IncidentFollowerInsert,
  IncidentInsert,
  IncidentUpdateInsert,
} from '../../db/repositories/incidents.ts';
import type { NoticeInsert } from '../../db/repositories/notices.ts';
import { addDays, daysBefore, germanDate, nextWeekday, zonedTime } from './calendar.ts';
import type { SeedContext } from './context.ts';
import { DEMO_INCIDENT_TITLE, DEMO_LANDLORD, type DemoLogin } from './demo-constants.ts';
import { findBuilding, type EstatePlan } from './estates.ts';
import type { UserInsert } from './people.ts';

export interface NoticeBoardPlan {
  notices: NoticeInsert[];
  incidents: (IncidentInsert & { id: string })[];
  updates: IncidentUpdateInsert[];
  followers: IncidentFollowerInsert[];
}

/**
 * The notice board per house (seed 001 "schwarzes Brett"): one pinned, one important, one expired,
 * one for the whole quarter, one scheduled for later; and the planned water shut-off of seeds 001
 * and 004 as an open incident tenants can follow instead of reporting it again.
 */
export function planNoticeBoard(
  context: SeedContext,
  estates: EstatePlan,
  users: Record<DemoLogin, UserInsert>,
): NoticeBoardPlan {
  const { now } = context;
  const ago = (days: number) => daysBefore(now, days);
  const ahead = (days: number) => daysBefore(now, -days);
  const house1 = findBuilding(estates, '1');
  const malmo = findBuilding(estates, '6', 'Malmö');
  const [berlinEstate] = estates.estates;
  const staffId = users.staff.id;
  const maintenanceDay = addDays(context.today, 6);
  const published = (publishAt: Date) => ({
    publishAt,
    announcedAt: publishAt,
    createdAt: publishAt,
    createdByUserId: staffId,
  });

  const drafts: NoticeInsert[] = [
    {
      scope: 'building',
      buildingId: house1.row.id,
      category: 'house_rules',
      title: 'Ansprechpartner und Notrufnummern',
      body: `Hauswart Bernd Hausmann: Mo–Fr 7–15 Uhr. Außerhalb dieser Zeiten erreichen Sie unseren Notdienst unter ${DEMO_LANDLORD.phone}. Bei Gasgeruch: Haus verlassen und 112 wählen.`,
      pinned: true,
      ...published(ago(200)),
    },
    {
      scope: 'building',
      buildingId: house1.row.id,
      category: 'maintenance',
      title: `Heizungswartung am ${germanDate(maintenanceDay)}`,
      body: 'Zwischen 9 und 14 Uhr wird die Heizungsanlage gewartet. In dieser Zeit gibt es kein warmes Wasser.',
      important: true,
      validFrom: ago(3),
      validTo: zonedTime(addDays(maintenanceDay, 1), 0, 0, house1.timeZone),
      ...published(ago(3)),
    },
    {
      scope: 'building',
      buildingId: house1.row.id,
      category: 'cleaning',
      title: 'Treppenhausreinigung: neue Firma',
      body: 'Ab dem kommenden Monat reinigt die Firma Blitzblank das Treppenhaus, jeweils dienstags.',
      validFrom: ago(90),
      validTo: ago(30),
      ...published(ago(90)),
    },
    {
      scope: 'estate',
      estateId: berlinEstate?.id,
      category: 'event',
      title: 'Hoffest im Musterquartier',
      body: `Am ${germanDate(addDays(context.today, 24))} ab 15 Uhr feiern wir im Hof zwischen Musterstraße 3 und 5. Kuchenspenden sind willkommen!`,
      validTo: ahead(25),
      ...published(ago(10)),
    },
    {
      // Scheduled: invisible and not announced until publishAt (the notices service publishes it).
      scope: 'estate',
      estateId: berlinEstate?.id,
      category: 'general',
      title: 'Sperrmüllaktion im Quartier',
      body: 'Die Berliner Stadtreinigung stellt für einen Tag Container im Hof auf. Elektrogeräte bitte getrennt abgeben.',
      publishAt: ahead(5),
      createdAt: ago(1),
      createdByUserId: staffId,
    },
    {
      scope: 'building',
      buildingId: malmo.row.id,
      category: 'cleaning',
      title: 'Fönsterputs i entré och trapphus',
      body: 'Fönsterputs av entré och trapphus sker nästa vecka. Håll fönsterbänkarna fria.',
      validTo: ahead(10),
      ...published(ago(4)),
    },
  ];
  const notices = drafts.map((notice) => ({ id: context.newId(), ...notice }));

  const shutOffDay = nextWeekday(context.today, 2, 2);
  const incidentId = context.newId();
  const leakId = context.newId();
  const incidents: (IncidentInsert & { id: string })[] = [
    {
      id: incidentId,
      title: DEMO_INCIDENT_TITLE,
      body: `Wegen Arbeiten an der Steigleitung ist das Wasser in der Musterstraße 1 am Dienstag, ${germanDate(shutOffDay)}, von 8 bis 12 Uhr abgestellt. Bitte halten Sie Trinkwasser bereit und lassen Sie die Wasserhähne geschlossen.`,
      kind: 'planned',
      status: 'open',
      scope: 'building',
      buildingId: house1.row.id,
      component: 'water',
      startsAt: zonedTime(shutOffDay, 8, 0, house1.timeZone),
      endsAt: zonedTime(shutOffDay, 12, 0, house1.timeZone),
      createdByUserId: staffId,
      createdAt: ago(2),
    },
    {
      // Seed 004's example of a "related ticket": a water leak, long fixed.
      id: leakId,
      title: 'Vattenläcka i garaget',
      body: 'En vattenledning i garaget har gått sönder. Rörmokare är på plats; platserna P01–P03 kan inte användas i dag.',
      kind: 'emergency',
      status: 'resolved',
      scope: 'building',
      buildingId: malmo.row.id,
      component: 'water',
      startsAt: ago(30),
      endsAt: ago(29),
      createdByUserId: users.staffMalmo.id,
      createdAt: ago(30),
      resolvedAt: ago(29),
    },
  ];
  const updates: IncidentUpdateInsert[] = [
    {
      id: context.newId(),
      incidentId,
      body: 'Die Firma hat den Termin bestätigt. Betroffen sind alle Wohnungen der Musterstraße 1, nicht die Nachbarhäuser.',
      createdByUserId: staffId,
      createdAt: ago(1),
    },
    {
      id: context.newId(),
      incidentId: leakId,
      body: 'Läckan är lagad och garaget är torrt. Alla platser kan användas igen.',
      createdByUserId: users.staffMalmo.id,
      createdAt: ago(29),
    },
  ];
  // Max follows the shut-off instead of reporting "no water" on Tuesday.
  const followers: IncidentFollowerInsert[] = [{ incidentId, userId: users.neighbour.id, createdAt: ago(1) }];
  return { notices, incidents, updates, followers };
}
