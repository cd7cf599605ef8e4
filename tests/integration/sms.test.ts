import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/transaction.ts';
import { findNotification } from '../../db/repositories/notifications.ts';
import { queueSmsCode } from '../../server/notify/outbox.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { createSmsSender } from '../../server/notify/channels/sms.ts';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';

describe('SMS channel', () => {
  let ctx: TestWorld | undefined;
  afterEach(() => ctx?.close());

  const queueCode = async (context: TestWorld) =>
    await inTransaction(
      context.deps.db,
      async (tx) =>
        await queueSmsCode(tx, {
          phone: '+46701234567',
          code: '482913',
          language: 'sv',
          now: context.deps.now(),
        }),
    );

  it('writes one file per message to $DATA_DIR/sms/<row-id>.txt when no provider is configured', async () => {
    ctx = await createTestWorld();
    const row = await queueCode(ctx);
    await drainOutbox(ctx.deps);
    const text = readFileSync(join(ctx.dataDir, 'sms', `${row.id}.txt`), 'utf8');
    expect(text).toContain('To: +46701234567');
    expect(text).toContain('Portier Wohnen eG: Din kod är 482913.');
    expect(await findNotification(ctx.deps.db, row.id)).toMatchObject({ status: 'sent', data: {} });
  });

  it('posts JSON with a bearer token and the row id as idempotency key to the HTTP provider', async () => {
    const received: { auth?: string; body: Record<string, unknown> }[] = [];
    let status = 503;
    const provider = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/messages`;
      ctx = await createTestWorld({ sms: { url, token: 'sms-secret', from: 'Portier' } });
      ctx.deps.sms = createSmsSender(ctx.deps.config);
      const row = await queueCode(ctx);

      await drainOutbox(ctx.deps);
      expect(await findNotification(ctx.deps.db, row.id)).toMatchObject({ status: 'pending', attempts: 1 });

      status = 202;
      const realNow = ctx.deps.now;
      ctx.deps.now = () => new Date(realNow().getTime() + 60_000);
      await drainOutbox(ctx.deps);
      expect(await findNotification(ctx.deps.db, row.id)).toMatchObject({ status: 'sent' });
      expect(received).toHaveLength(2);
      expect(received[1]).toEqual({
        auth: 'Bearer sms-secret',
        body: {
          to: '+46701234567',
          from: 'Portier',
          text: expect.stringContaining('482913') as unknown,
          idempotencyKey: row.id,
        },
      });
      expect(received[0]!.body.idempotencyKey).toBe(row.id);
    } finally {
      provider.closeAllConnections();
      await new Promise((resolve) => provider.close(resolve));
    }
  });
});
