import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/demo/demo.ts';
import { testTables } from '../helpers/tables.ts';
import { putSetting } from '../../db/repositories/settings.ts';
import { insertContractor, updateContractor } from '../../db/repositories/contractors.ts';
import {
  issueJobLink,
  jobLinkLifetimeSetting,
  requireJobLink,
  verifyJobLink,
  withdrawJobLink,
} from '../../server/services/repairs/job-link.ts';
import { DomainError } from '../../server/domain/errors.ts';
import { createTestWorld } from '../helpers/context.ts';

const { tickets } = testTables;

describe('contractor job link', async () => {
  const ctx = await createTestWorld();
  const { deps } = ctx;
  let clock = new Date('2026-12-01T08:00:00Z');
  deps.now = () => clock;
  let ticketId = '';
  let contractorId = '';
  const day = 24 * 3_600_000;

  beforeAll(async () => {
    await seedDemo(deps);
    ticketId = (await deps.db.select({ id: tickets.id }).from(tickets).limit(1))[0]!.id;
    contractorId = (
      await insertContractor(deps.db, {
        name: 'Muster Sanitär GmbH',
        language: 'de',
        active: true,
        createdAt: clock,
        updatedAt: clock,
      })
    ).id;
  });
  afterAll(() => ctx.close());

  const issue = async () => await issueJobLink(deps, { ticketId, contractorId, createdByUserId: null });

  it('verifies a genuine link until it expires after 14 days by default', async () => {
    clock = new Date('2026-12-01T08:00:00Z');
    const { link, token, url } = await issue();
    expect(url).toBe(`http://portier.test/job/${token}`);
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBe(14 * day);
    expect((await verifyJobLink(deps, token))?.id).toBe(link.id);
    expect((await requireJobLink(deps, token)).ticketId).toBe(ticketId);

    clock = new Date(link.expiresAt.getTime() - 1);
    expect((await verifyJobLink(deps, token))?.id).toBe(link.id);
    clock = new Date(link.expiresAt.getTime());
    expect(await verifyJobLink(deps, token)).toBeNull();
    await expect(requireJobLink(deps, token)).rejects.toThrow(DomainError);
    try {
      await requireJobLink(deps, token);
    } catch (error) {
      expect((error as DomainError).kind).toBe('not_found');
    }
  });

  it('keeps its signing key in DATA_DIR, readable by the owner only', () => {
    const file = join(ctx.dataDir, 'job-links.key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('follows the lifetime setting and falls back to 14 days on a nonsensical one', async () => {
    clock = new Date('2026-12-01T08:00:00Z');
    await putSetting(deps.db, jobLinkLifetimeSetting, 3, clock);
    expect((await issue()).link.expiresAt.getTime()).toBe(clock.getTime() + 3 * day);
    await putSetting(deps.db, jobLinkLifetimeSetting, -5, clock);
    expect((await issue()).link.expiresAt.getTime()).toBe(clock.getTime() + 14 * day);
    await putSetting(deps.db, jobLinkLifetimeSetting, 'forever', clock);
    expect((await issue()).link.expiresAt.getTime()).toBe(clock.getTime() + 14 * day);
  });

  it('answers not found for a revoked link, at once', async () => {
    clock = new Date('2026-12-01T08:00:00Z');
    const { link, token } = await issue();
    expect(await withdrawJobLink(deps, link.id)).toBe(true);
    expect(await withdrawJobLink(deps, link.id)).toBe(false);
    expect(await verifyJobLink(deps, token)).toBeNull();
    await expect(requireJobLink(deps, token)).rejects.toThrow(DomainError);
  });

  it('answers not found for forged, altered, malformed and unknown tokens', async () => {
    clock = new Date('2026-12-01T08:00:00Z');
    const { link, token } = await issue();
    const [id, signature] = token.split('.') as [string, string];
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const forged = [
      `${id}.${flipped}`,
      `${id}.${'A'.repeat(43)}`,
      // Another id under this link's signature.
      `${'a'.repeat(id.length)}.${signature}`,
      `${id}.${signature}x`,
      `${id}.${signature.slice(0, -1)}`,
      `${id}`,
      '',
      '../../etc/passwd',
      `${id}.${signature}`.toUpperCase(),
      `${id}\u0000.${signature}`,
    ];
    for (const candidate of forged) expect(await verifyJobLink(deps, candidate), candidate).toBeNull();
    // A genuine signature of an id that has no row (a deleted link) is as unknown as a forged one.
    expect((await verifyJobLink(deps, token))?.id).toBe(link.id);
  });

  it('answers not found while the contractor is deactivated', async () => {
    clock = new Date('2026-12-01T08:00:00Z');
    const { token } = await issue();
    await updateContractor(deps.db, contractorId, { active: false });
    expect(await verifyJobLink(deps, token)).toBeNull();
    await updateContractor(deps.db, contractorId, { active: true });
    expect(await verifyJobLink(deps, token)).not.toBeNull();
  });

  it('does not accept a token signed under another deployment’s key', async () => {
    const other = await createTestWorld();
    try {
      other.deps.now = () => clock;
      const foreign = await issueJobLink(
        { ...deps, config: { ...deps.config, dataDir: other.dataDir } },
        { ticketId, contractorId, createdByUserId: null },
      );
      // The row exists here, but the signature was made with the other key.
      expect(await verifyJobLink(deps, foreign.token)).toBeNull();
    } finally {
      await other.close();
    }
  });
});
