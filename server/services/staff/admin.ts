/**
 * Admin settings (issue 5 item 8): ticket types and their forms, the password policy and the
 * branding — data, read on every request, so a change takes effect without a restart. Every change
 * is audited with the admin's id in the same transaction.
 */
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest, notFound, validationFailed } from '../../lib/http-error.ts';
import { fieldErrors } from '../../lib/validate.ts';
import type { Tx } from '../../../db/transaction.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import { findSetting, putSetting } from '../../../db/repositories/settings.ts';
import { listAllTicketTypes, listTeams, updateTicketType } from '../../../db/repositories/admin.ts';
import { findTicketType } from '../../../db/repositories/tickets.ts';
import {
  defaultPasswordPolicy,
  passwordPolicySchema,
  resolvePasswordPolicy,
  type PasswordPolicy,
} from '../../auth/password-policy.ts';
import { ticketTypeFormSchema } from '../../../shared/ticket-types.ts';
import {
  contrastWithWhite,
  minimumTextContrast,
  type AdminTicketTypeDto,
  type AdminTicketTypesDto,
  type BrandingDto,
  type BrandingUpdate,
  type TicketTypeUpdate,
} from '../../../shared/api/staff-admin.ts';

export type AdminDeps = Pick<Deps, 'db' | 'now'>;
/** A change of the admin settings runs in a unit of work. */
export type AdminWriteDeps = AdminDeps & Pick<Deps, 'config' | 'bus'>;

async function audited(
  deps: AdminWriteDeps,
  admin: SessionUser,
  action: string,
  entityType: string,
  entityId: string,
  data: Record<string, unknown>,
  change: (tx: Tx) => Promise<unknown>,
): Promise<void> {
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    await change(tx);
    await insertAuditEntry(tx, { actorUserId: admin.id, action, entityType, entityId, data, createdAt: now });
  });
}

function toTicketTypeDto(row: Awaited<ReturnType<typeof listAllTicketTypes>>[number]): AdminTicketTypeDto {
  return {
    id: row.id,
    form: row.form,
    formValid: ticketTypeFormSchema.safeParse(row.form).success,
    slaFirstResponseHours: row.slaFirstResponseHours,
    slaResolutionHours: row.slaResolutionHours,
    defaultPriority: row.defaultPriority,
    routingTeamId: row.routingTeamId,
    active: row.active,
  };
}

export async function listTicketTypesForAdmin(deps: AdminDeps): Promise<AdminTicketTypesDto> {
  return {
    ticketTypes: (await listAllTicketTypes(deps.db)).map(toTicketTypeDto),
    teams: (await listTeams(deps.db)).map((team) => ({ id: team.id, name: team.name })),
  };
}

/** The form was validated by the route's schema (ticketTypeFormSchema); here: ids that must exist. */
export async function changeTicketType(
  deps: AdminWriteDeps,
  admin: SessionUser,
  typeId: string,
  patch: TicketTypeUpdate,
): Promise<AdminTicketTypeDto> {
  if (!(await findTicketType(deps.db, typeId))) throw notFound();
  if (patch.routingTeamId && !(await listTeams(deps.db)).some((team) => team.id === patch.routingTeamId))
    throw validationFailed({ routingTeamId: 'unknown_team' });
  const sla = (await findTicketType(deps.db, typeId))!;
  const first = patch.slaFirstResponseHours ?? sla.slaFirstResponseHours;
  const resolution = patch.slaResolutionHours ?? sla.slaResolutionHours;
  if (first > resolution) throw validationFailed({ slaFirstResponseHours: 'above_resolution' });
  await audited(
    deps,
    admin,
    'admin.ticket_type_changed',
    'ticket_type',
    typeId,
    { fields: Object.keys(patch) },
    async (tx) => await updateTicketType(tx, typeId, patch),
  );
  return toTicketTypeDto((await findTicketType(deps.db, typeId))!);
}

export async function getPasswordPolicyForAdmin(deps: AdminDeps): Promise<PasswordPolicy> {
  return resolvePasswordPolicy(await findSetting(deps.db, 'password_policy'));
}

/** Stored whole and validated with the schema the policy reads (server/auth/password-policy.ts). */
export async function changePasswordPolicy(
  deps: AdminWriteDeps,
  admin: SessionUser,
  input: unknown,
): Promise<PasswordPolicy> {
  const parsed = passwordPolicySchema.safeParse({ ...defaultPasswordPolicy, ...(input as object) });
  if (!parsed.success) throw validationFailed(fieldErrors(parsed.error));
  await audited(
    deps,
    admin,
    'admin.password_policy_changed',
    'setting',
    'password_policy',
    { policy: parsed.data },
    async (tx) => await putSetting(tx, 'password_policy', parsed.data, deps.now()),
  );
  return parsed.data;
}

/** The stored logo (admin-branding.ts writes it): `{ sha256, mime, size }` inside the setting. */
export function storedLogo(value: unknown): { sha256: string; mime: string; size: number } | null {
  if (!value || typeof value !== 'object') return null;
  const { sha256, mime, size } = value as Record<string, unknown>;
  return typeof sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(sha256) &&
    typeof mime === 'string' &&
    mime.startsWith('image/') &&
    typeof size === 'number'
    ? { sha256, mime, size }
    : null;
}

/** Versioned by content, so browsers may cache it and still see a new logo at once. */
const logoUrlOf = (value: unknown) => {
  const logo = storedLogo(value);
  return logo ? `/api/branding/logo?v=${logo.sha256.slice(0, 16)}` : null;
};

export const storedBranding = async (deps: AdminDeps): Promise<Record<string, unknown>> => {
  const value = await findSetting(deps.db, 'branding');
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
};

export async function getBranding(deps: AdminDeps): Promise<BrandingDto> {
  const stored = await storedBranding(deps);
  const str = (key: string, fallback: string) => {
    const value = stored[key];
    return typeof value === 'string' ? value : fallback;
  };
  const primaryColor = str('primaryColor', '#0b5cad');
  return {
    name: str('name', 'Portier'),
    primaryColor,
    contactEmail: str('contactEmail', ''),
    contactPhone: str('contactPhone', ''),
    logoUrl: logoUrlOf(stored.logo),
    contrastOnWhiteText: Math.round(contrastWithWhite(primaryColor) * 100) / 100,
  };
}

/**
 * The primary colour carries white button text in the apps: below 4.5:1 (WCAG 2.2 SC 1.4.3) it is
 * refused with 400 `insufficient_contrast`. Other keys of the setting (a postal address) are kept.
 */
export async function changeBranding(
  deps: AdminWriteDeps,
  admin: SessionUser,
  input: BrandingUpdate,
): Promise<BrandingDto> {
  const ratio = contrastWithWhite(input.primaryColor);
  if (ratio < minimumTextContrast)
    throw badRequest(
      'insufficient_contrast',
      `White text on this colour has a contrast of ${ratio.toFixed(2)}:1; at least 4.5:1 is needed.`,
      { primaryColor: 'insufficient_contrast' },
    );
  const next = { ...(await storedBranding(deps)), ...input };
  await audited(
    deps,
    admin,
    'admin.branding_changed',
    'setting',
    'branding',
    { branding: input },
    async (tx) => await putSetting(tx, 'branding', next, deps.now()),
  );
  return await getBranding(deps);
}
