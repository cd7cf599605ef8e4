import type {
  BuildingContactInsert,
  CannedReplyInsert,
  TeamInsert,
  TeamMemberInsert,
  TeamScopeInsert,
} from '../../db/repositories/staff.ts';
import type { SeedContext } from './context.ts';
import { DEMO_LANDLORD, type DemoLogin } from './demo-constants.ts';
import type { EstatePlan } from './estates.ts';
import { berlinPhone, malmoPhone, type UserInsert } from './people.ts';

export interface StaffPlan {
  teams: {
    service: TeamInsert & { id: string };
    berlin: TeamInsert & { id: string };
    malmo: TeamInsert & { id: string };
  };
  members: TeamMemberInsert[];
  scopes: TeamScopeInsert[];
  contacts: BuildingContactInsert[];
  cannedReplies: CannedReplyInsert[];
  branding: { name: string; primaryColor: string; contactEmail: string; contactPhone: string };
}

/**
 * Teams and what they see (DESIGN.md: staff work the buildings in their scope): the service centre
 * sees everything, the Berlin and Malmö teams their estate. Contacts per building (seed 000).
 */
export function planStaff(
  context: SeedContext,
  estates: EstatePlan,
  users: Record<DemoLogin, UserInsert>,
): StaffPlan {
  const [berlinEstate, malmoEstate] = estates.estates;
  const team = (name: string) => ({ id: context.newId(), name });
  const teams = {
    service: team('Kundenservice'),
    berlin: team('Kundenservice Berlin'),
    malmo: team('Malmö'),
  };
  const scopes: TeamScopeInsert[] = [
    { id: context.newId(), teamId: teams.service.id, kind: 'all' },
    { id: context.newId(), teamId: teams.berlin.id, kind: 'estate', estateId: berlinEstate?.id },
    { id: context.newId(), teamId: teams.malmo.id, kind: 'estate', estateId: malmoEstate?.id },
  ];
  const members: TeamMemberInsert[] = [
    { teamId: teams.service.id, userId: users.staff.id },
    { teamId: teams.berlin.id, userId: users.staff.id },
    { teamId: teams.service.id, userId: users.admin.id },
    { teamId: teams.malmo.id, userId: users.staffMalmo.id },
  ];

  const contacts: BuildingContactInsert[] = [];
  for (const building of estates.buildings) {
    const buildingId = building.row.id;
    if (building.row.country === 'SE') {
      contacts.push(
        {
          buildingId,
          role: 'account_manager',
          name: 'Lars Lindqvist',
          email: users.staffMalmo.loginEmail,
          phone: malmoPhone(10),
          hours: 'mån–fre 8–16',
          userId: users.staffMalmo.id,
          sort: 0,
        },
        {
          buildingId,
          role: 'caretaker',
          name: 'Malin Ek',
          phone: malmoPhone(30),
          hours: 'mån–fre 7–16',
          sort: 1,
        },
        {
          buildingId,
          role: 'service_centre',
          name: 'Jour vid akuta fel',
          phone: malmoPhone(99),
          hours: 'dygnet runt',
          sort: 2,
        },
      );
      continue;
    }
    const caretaker = building.row.houseNumber === '5' ? 'Yusuf Demir' : 'Bernd Hausmann';
    contacts.push(
      {
        buildingId,
        role: 'account_manager',
        name: 'Sabine Sommer',
        email: users.staff.loginEmail,
        phone: berlinPhone(10),
        hours: 'Mo–Do 9–16 Uhr, Fr 9–12 Uhr',
        userId: users.staff.id,
        sort: 0,
      },
      {
        buildingId,
        role: 'caretaker',
        name: caretaker,
        phone: berlinPhone(caretaker === 'Yusuf Demir' ? 21 : 20),
        hours: 'Mo–Fr 7–15 Uhr',
        sort: 1,
      },
      {
        buildingId,
        role: 'service_centre',
        name: 'Service-Center und 24-h-Notdienst',
        email: DEMO_LANDLORD.email,
        phone: DEMO_LANDLORD.phone,
        hours: 'rund um die Uhr',
        sort: 2,
      },
    );
  }
  for (const contact of contacts) contact.id = context.newId();

  const reply = (
    teamId: string | null,
    language: string,
    title: string,
    body: string,
  ): CannedReplyInsert => ({
    id: context.newId(),
    teamId,
    language,
    title,
    body,
  });
  const cannedReplies = [
    reply(
      teams.berlin.id,
      'de',
      'Schaden: Fachbetrieb beauftragt',
      'Guten Tag, vielen Dank für Ihre Meldung. Wir haben einen Fachbetrieb beauftragt, der sich zur Terminabstimmung direkt bei Ihnen meldet.',
    ),
    reply(
      teams.berlin.id,
      'de',
      'Rückfrage: Foto',
      'Könnten Sie uns bitte ein Foto des Schadens schicken? Dann bringt der Handwerksbetrieb gleich das passende Material mit.',
    ),
    reply(
      teams.service.id,
      'de',
      'Mietbescheinigung erstellt',
      'Guten Tag, Ihre Mietbescheinigung liegt jetzt unter „Dokumente“ für Sie bereit.',
    ),
    reply(
      teams.malmo.id,
      'sv',
      'Felanmälan mottagen',
      'Hej! Tack för din felanmälan. Vi har beställt en hantverkare som kontaktar dig för att boka tid.',
    ),
    reply(
      null,
      'en',
      'Thank you – we are on it',
      'Thank you for your message. We are looking into it and will get back to you shortly.',
    ),
  ];

  return {
    teams,
    members,
    scopes,
    contacts,
    cannedReplies,
    branding: {
      name: DEMO_LANDLORD.name,
      primaryColor: '#0b5cad',
      contactEmail: DEMO_LANDLORD.email,
      contactPhone: DEMO_LANDLORD.phone,
    },
  };
}
