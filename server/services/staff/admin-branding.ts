/**
 * The branding logo and the public branding facts (issue 5 item 8). The logo goes through the
 * upload pipeline (magic bytes, sharp re-encode without metadata) and only PNG, JPEG and WebP are
 * taken: an SVG can carry script, so it is refused like any other type (415).
 */
import { unitOfWork } from '../../unit-of-work/index.ts';
import { findOrInsertFile } from '../../../db/repositories/files.ts';
import { putSetting } from '../../../db/repositories/settings.ts';
import type { BrandingDto, PublicBrandingDto } from '../../../shared/api/staff-admin.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import { inspectUpload, unsupportedMediaType } from '../../files/inspect.ts';
import { reencodeImage } from '../../files/images.ts';
import { MAX_UPLOAD_BYTES } from '../../files/limits.ts';
import { payloadTooLarge } from '../uploads.ts';
import { auditAdmin } from './admin-teams.ts';
import { getBranding, storedBranding, storedLogo } from './admin.ts';

const logoTypes = new Set(['image/png', 'image/jpeg', 'image/webp']);

export async function changeBrandingLogo(
  deps: Pick<Deps, 'db' | 'now' | 'files' | 'config' | 'bus'>,
  admin: SessionUser,
  bytes: Uint8Array,
): Promise<BrandingDto> {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw payloadTooLarge();
  const inspected = await inspectUpload(bytes);
  if (inspected.kind !== 'image' || !logoTypes.has(inspected.mime))
    throw unsupportedMediaType('Upload the logo as PNG, JPEG or WebP.');
  const { image } = await reencodeImage(bytes, inspected.mime);
  const stored = await deps.files.put(image.bytes);
  const now = deps.now();
  const logo = { sha256: stored.sha256, mime: image.mime, size: stored.size };
  await unitOfWork(deps, async ({ tx }) => {
    // A files row like every upload's, so the blob counts as referenced (backups, clean-up).
    await findOrInsertFile(tx, { ...logo, width: image.width, height: image.height, createdAt: now });
    await putSetting(tx, 'branding', { ...(await storedBranding(deps)), logo }, now);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.branding_logo_changed',
      { type: 'setting', id: 'branding' },
      {
        sha256: logo.sha256,
      },
    );
  });
  return await getBranding(deps);
}

export async function removeBrandingLogo(
  deps: Pick<Deps, 'db' | 'now' | 'config' | 'bus'>,
  admin: SessionUser,
): Promise<BrandingDto> {
  const { logo: _removed, ...rest } = await storedBranding(deps);
  await unitOfWork(deps, async ({ tx }) => {
    await putSetting(tx, 'branding', rest, deps.now());
    await auditAdmin(tx, deps, admin, 'admin.branding_logo_removed', { type: 'setting', id: 'branding' }, {});
  });
  return await getBranding(deps);
}

/** Only what the login page may show to anyone: no address, no bank details, no policy. */
export async function getPublicBranding(deps: Pick<Deps, 'db' | 'now'>): Promise<PublicBrandingDto> {
  const branding = await getBranding(deps);
  return {
    name: branding.name,
    primaryColor: branding.primaryColor,
    logoUrl: branding.logoUrl,
    contact: { email: branding.contactEmail, phone: branding.contactPhone },
  };
}

export async function openBrandingLogo(deps: Pick<Deps, 'db' | 'now' | 'files'>) {
  const logo = storedLogo((await storedBranding(deps)).logo);
  if (!logo) throw notFound('No logo has been uploaded.');
  return {
    ...logo,
    read: async () => {
      const bytes = await deps.files.read(logo.sha256);
      return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
