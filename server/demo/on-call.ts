import type { OnCallShiftInsert, TicketTypeSlaRow } from '../../db/repositories/on-call.ts';
import { ticketPriorities, ticketTypeDefinitions } from '../../shared/ticket-types.ts';
import type { SeedContext } from './context.ts';
import type { UserInsert } from './people.ts';
import type { StaffPlan } from './staff.ts';
import type { DemoLogin } from './demo-constants.ts';

/** SLA targets per type and priority as the shared definitions give them (issue 15 item 6). */
export function planTicketTypeSlas(): TicketTypeSlaRow[] {
  return ticketTypeDefinitions.flatMap((type) =>
    ticketPriorities.flatMap((priority) => {
      const targets = type.slaByPriority?.[priority];
      return targets
        ? [
            {
              typeId: type.id,
              priority,
              firstResponseHours: targets.firstResponse,
              resolutionHours: targets.resolution,
              clock: targets.clock,
            },
          ]
        : [];
    }),
  );
}

/**
 * The demo rota: Sabine Sommer (staff) answers Berlin's emergencies on weekday nights and the whole
 * weekend; the service centre's admin covers weekends for buildings routed to it.
 */
export function planOnCall(
  context: SeedContext,
  staff: StaffPlan,
  users: Record<DemoLogin, UserInsert>,
): OnCallShiftInsert[] {
  const shift = (teamId: string, userId: string, weekday: number, startTime: string, endTime: string) => ({
    id: context.newId(),
    teamId,
    userId,
    kind: 'weekly' as const,
    weekday,
    startTime,
    endTime,
    createdAt: context.now,
  });
  const berlin = staff.teams.berlin.id;
  const service = staff.teams.service.id;
  const rows = [
    ...[1, 2, 3, 4, 5].map((day) => shift(berlin, users.staff.id, day, '17:00', '08:00')),
    // Start = end: the whole day.
    shift(berlin, users.staff.id, 6, '00:00', '00:00'),
    shift(berlin, users.staff.id, 7, '00:00', '00:00'),
    shift(service, users.admin.id, 6, '00:00', '00:00'),
    shift(service, users.admin.id, 7, '00:00', '00:00'),
  ];
  return rows.map((row, sort) => ({ ...row, sort }));
}
