import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import type { AdminTeamsDto } from '../../shared/api/staff-admin.ts';
import { call } from '../helpers/auth.ts';
import { LiveClient, startLiveServer, waitFor } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { users } = testTables;

/**
 * Socket rooms follow a team's scope while connected: staff who gain a building hear its new
 * tickets at once, and staff who lose it stop hearing them, without reconnecting.
 */
describe('live rooms follow access changes', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'staff', 'staffMalmo', 'admin']);
  let seq = 0;

  const fileTicket = async (description: string) => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description,
        clientId: `access-${++seq}`,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket;
  };
  const teams = async () =>
    (await (await call(app, '/api/staff/admin/teams', { cookie: session.admin })).json()) as AdminTeamsDto;
  const setScopes = async (teamId: string, scopes: { kind: string; id?: string }[]) => {
    const res = await call(app, `/api/staff/admin/teams/${teamId}/scopes`, {
      method: 'PUT',
      cookie: session.admin,
      json: { scopes },
    });
    expect(res.status).toBe(200);
  };
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;
  const created = (client: LiveClient, ticketId: string) =>
    client
      .ofType('ticket.created')
      .some((event) => (event.data as { ticket?: { id: string } }).ticket?.id === ticketId);

  it("widens and narrows a connected staff member's rooms with the team's scope", async () => {
    const malmoId = await userId(DEMO_LOGINS.staffMalmo);
    const all = await teams();
    const malmoTeam = all.teams.find((team) => team.memberIds.includes(malmoId))!;
    const originalScopes = malmoTeam.scopes.map(({ kind, id }) => (kind === 'all' ? { kind } : { kind, id }));
    const server = await startLiveServer(ctx.deps);
    const malmo = new LiveClient(server.url, session.staffMalmo!);
    const staff = new LiveClient(server.url, session.staff!);
    try {
      await Promise.all([malmo.connect(), staff.connect()]);

      // Outside Lars's scope: the all-scope colleague hears it, he does not.
      const before = await fileTicket('Vor der Änderung');
      await waitFor(() => created(staff, before.id), 5000, 'staff hears the first ticket');
      expect(created(malmo, before.id)).toBe(false);

      // The admin gives his team every building: the next ticket reaches his open socket.
      await setScopes(malmoTeam.id, [{ kind: 'all' }]);
      const during = await fileTicket('Nach der Erweiterung');
      await waitFor(() => created(malmo, during.id), 5000, 'malmo hears the ticket after the scope grew');

      // And back: the scope shrinks, the socket leaves the rooms it lost.
      await setScopes(malmoTeam.id, originalScopes);
      const after = await fileTicket('Nach der Einschränkung');
      await waitFor(() => created(staff, after.id), 5000, 'staff hears the third ticket');
      expect(created(malmo, after.id)).toBe(false);
      expect(malmo.socket?.connected).toBe(true);
    } finally {
      malmo.disconnect();
      staff.disconnect();
      await server.close();
    }
  });
  it("moves a connected staff member's sockets when the admin changes their teams", async () => {
    const malmoId = await userId(DEMO_LOGINS.staffMalmo);
    const staffId = await userId(DEMO_LOGINS.staff);
    const all = await teams();
    const ownTeams = all.teams.filter((team) => team.memberIds.includes(malmoId)).map((team) => team.id);
    const everywhere = all.teams.find((team) => team.memberIds.includes(staffId))!.id;
    const setTeams = async (teamIds: string[]) => {
      const res = await call(app, `/api/staff/admin/staff/${malmoId}`, {
        method: 'PATCH',
        cookie: session.admin,
        json: { teamIds },
      });
      expect(res.status).toBe(200);
    };
    const server = await startLiveServer(ctx.deps);
    const malmo = new LiveClient(server.url, session.staffMalmo!);
    const staff = new LiveClient(server.url, session.staff!);
    try {
      await Promise.all([malmo.connect(), staff.connect()]);
      await setTeams([...ownTeams, everywhere]);
      const joined = await fileTicket('Im neuen Team');
      await waitFor(() => created(malmo, joined.id), 5000, 'malmo hears the ticket in the new team');

      await setTeams(ownTeams);
      const left = await fileTicket('Wieder im alten Team');
      await waitFor(() => created(staff, left.id), 5000, 'staff hears the last ticket');
      expect(created(malmo, left.id)).toBe(false);
    } finally {
      malmo.disconnect();
      staff.disconnect();
      await server.close();
    }
  });
});
