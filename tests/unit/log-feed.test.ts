import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendEvent, type StoredEvent } from '../../db/repositories/events.ts';
import type { DomainEvents } from '../../server/events/bus.ts';
import { LogFeed } from '../../server/realtime/log-feed.ts';
import { createTestDeps, type TestContext } from '../helpers/context.ts';

type Committed = DomainEvents['log.committed'];

describe('LogFeed: the committed log to one instance’s sockets, in id order', () => {
  let ctx: TestContext | undefined;
  let feed: LogFeed | undefined;
  afterEach(async () => {
    await feed?.stop();
    ctx?.close();
  });

  /** A feed on a fresh database with `before` events already in the log; what it hands on. */
  async function started(before: number, options = { pollMs: 3_600_000, pageSize: 500 }) {
    ctx = createTestDeps();
    for (let n = 0; n < before; n++) await append(`old ${n}`);
    const handed: Committed[] = [];
    feed = new LogFeed(ctx.deps, (committed) => handed.push(committed), options);
    await feed.start();
    // The first read (of nothing) is done: the SQLite driver answers within the same turn.
    await new Promise((resolve) => setImmediate(resolve));
    const ids = () => handed.flatMap((committed) => committed.events.map((event) => event.id));
    return { handed, ids };
  }
  const append = (text: string, room = 'notices') =>
    appendEvent(ctx!.deps.db, room, 'notice.published', { text });

  it('starts at the end of the log: what came before is left to resync', async () => {
    const { ids } = await started(3);
    const next = await append('new');
    feed!.appended(next.id);
    await vi.waitFor(() => expect(ids()).toEqual([next.id]));
  });

  it('hands a local commit on as it is when it follows the last id sent, with its placements', async () => {
    const { handed } = await started(1);
    const event = await append('mine');
    const tickets = [
      { ticketId: 't1', buildingId: 'b1', estateId: null, contractId: null, createdByUserId: 'u1' },
    ];
    feed!.committed({ events: [event], tickets });
    // Synchronously, without a read: the same object the projector made.
    expect(handed).toEqual([{ events: [event], tickets }]);
  });

  it('reads the gap first when a local commit does not follow the last id sent', async () => {
    const { ids } = await started(0);
    const others = [await append('from another instance 1'), await append('from another instance 2')];
    const mine = await append('mine');
    feed!.committed({ events: [mine] });
    await vi.waitFor(() => expect(ids()).toEqual([...others, mine].map((event) => event.id)));
    // The notice of the other instance, arriving late, sends nothing twice.
    feed!.appended(others[1]!.id);
    feed!.committed({ events: [mine] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ids()).toEqual([...others, mine].map((event) => event.id));
  });

  it('reads in pages and works out where the tickets of the rows lie', async () => {
    const { handed, ids } = await started(0, { pollMs: 3_600_000, pageSize: 2 });
    const written: StoredEvent[] = [];
    for (let n = 0; n < 5; n++) written.push(await append(`n ${n}`, `ticket:no-such-ticket-${n}`));
    feed!.appended(written.at(-1)!.id);
    await vi.waitFor(() => expect(ids()).toEqual(written.map((event) => event.id)));
    expect(handed.map((committed) => committed.events.length)).toEqual([2, 2, 1]);
    // No such ticket: no placement (the live layer then reaches staff of every building only).
    expect(handed.every((committed) => committed.tickets?.length === 0)).toBe(true);
  });

  it('catches up by polling when no notice comes (Redis away)', async () => {
    const { ids } = await started(0, { pollMs: 20, pageSize: 500 });
    const unannounced = await append('notice lost');
    await vi.waitFor(() => expect(ids()).toEqual([unannounced.id]));
  });

  it('hands nothing on after stop', async () => {
    const { ids } = await started(0);
    await feed!.stop();
    const late = await append('late');
    feed!.appended(late.id);
    feed!.committed({ events: [late] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ids()).toEqual([]);
  });
});
