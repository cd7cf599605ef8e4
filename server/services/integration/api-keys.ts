import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import {
  findActiveApiKey,
  insertApiKey,
  listActiveApiKeys,
  revokeApiKey as revokeApiKeyRow,
  touchApiKey,
  type ApiKeyRow,
} from '../../../db/repositories/api-keys.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import type {
  ApiKeyDto,
  ApiKeyScope,
  ApiKeysDto,
  CreateApiKeyRequest,
  CreatedApiKeyDto,
} from '../../../shared/api/integration.ts';
import { issueToken, parseToken, secretMatches } from '../../auth/session-token.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { forbidden, notFound, unauthorized } from '../../lib/http-error.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';

type KeyDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

/**
 * A key reads `ptk_<id>.<secret>`: the prefix lets secret scanners and people tell it from a
 * session token; the rest is the session token's scheme (id to look up, secret compared by hash in
 * constant time), so a leaked database holds no working key.
 */
const keyPrefix = 'ptk_';
/** `lastUsedAt` is written at most once a minute per key, not on every call of a busy ERP. */
const touchEveryMs = 60_000;

const dtoOf = (row: ApiKeyRow): ApiKeyDto => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

export async function listApiKeys(deps: KeyDeps): Promise<ApiKeysDto> {
  return { apiKeys: (await listActiveApiKeys(deps.db)).map(dtoOf) };
}

export async function createApiKey(
  deps: KeyDeps,
  admin: SessionUser,
  input: CreateApiKeyRequest,
  meta: RequestMeta,
): Promise<CreatedApiKeyDto> {
  const { id, token, secretHash } = issueToken();
  const row = await unitOfWork(deps, async ({ tx }) => {
    const created = await insertApiKey(tx, {
      id,
      name: input.name,
      scopes: [...input.scopes].sort(),
      secretHash,
      createdByUserId: admin.id,
      createdAt: deps.now(),
    });
    await insertAuditEntry(tx, {
      actorUserId: admin.id,
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: id,
      data: { name: input.name, scopes: created.scopes },
      ipAddress: meta.ip,
      createdAt: deps.now(),
    });
    return created;
  });
  return { apiKey: dtoOf(row), secret: `${keyPrefix}${token}` };
}

/** Revoked at once: the next call with the key answers 401. Unknown or revoked ids are 404. */
export async function revokeApiKey(
  deps: KeyDeps,
  admin: SessionUser,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  await unitOfWork(deps, async ({ tx }) => {
    if (!(await revokeApiKeyRow(tx, id, deps.now()))) throw notFound();
    await insertAuditEntry(tx, {
      actorUserId: admin.id,
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: id,
      ipAddress: meta.ip,
      createdAt: deps.now(),
    });
  });
}

export interface ApiKeyPrincipal {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
}

/**
 * `Authorization: Bearer ptk_…` → the key, or 401 for anything missing, malformed, unknown,
 * revoked or wrong; 403 `insufficient_scope` when the key lacks the route's scope.
 */
export async function authenticateApiKey(
  deps: KeyDeps,
  authorization: string | undefined,
  scope: ApiKeyScope,
): Promise<ApiKeyPrincipal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const presented = match?.[1];
  const parsed = presented?.startsWith(keyPrefix) ? parseToken(presented.slice(keyPrefix.length)) : null;
  const row = parsed ? await findActiveApiKey(deps.db, parsed.id) : undefined;
  if (!parsed || !row || !secretMatches(parsed.secret, row.secretHash))
    throw unauthorized('A valid API key is required (Authorization: Bearer …).');
  if (!row.scopes.includes(scope))
    throw forbidden('insufficient_scope', `This API key lacks the "${scope}" scope.`);
  const now = deps.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= touchEveryMs)
    await touchApiKey(deps.db, row.id, now);
  return { id: row.id, name: row.name, scopes: row.scopes };
}
