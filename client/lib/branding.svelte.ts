import type { PublicBrandingDto } from '../../shared/api/staff-admin.ts';
import { api } from './api.ts';
import { brandPalette } from './brand-colours.ts';

/**
 * The landlord's public branding (issue 5 item 8) for both app headers and the login pages:
 * `GET /api/branding` needs no session. The primary colour is applied through the CSSOM
 * (`--brand-primary`, `--brand-primary-dark`), which the strict CSP allows where a style=""
 * attribute would be blocked. The admin console only stores colours with ≥ 4.5:1 against white;
 * brandPalette derives from it a variant for each colour scheme that holds 4.5:1 on every
 * background it stands on (WCAG 2.2 SC 1.4.3), and global.css picks the one the system asks for.
 */
class BrandingState {
  name = $state<string | null>(null);
  primaryColor = $state<string | null>(null);
  logoUrl = $state<string | null>(null);
  contact = $state<PublicBrandingDto['contact'] | null>(null);
  #loading: Promise<void> | null = null;

  /** Loads once per page; `force` after an admin changed it. Failures keep the built-in look. */
  load(force = false): Promise<void> {
    if (this.#loading && !force) return this.#loading;
    this.#loading = api
      .get<PublicBrandingDto>('/branding')
      .then((branding) => this.set(branding))
      .catch(() => undefined);
    return this.#loading;
  }

  set(branding: PublicBrandingDto): void {
    this.name = branding.name;
    this.primaryColor = branding.primaryColor;
    this.logoUrl = branding.logoUrl;
    this.contact = branding.contact;
    if (typeof document !== 'undefined' && /^#[0-9a-fA-F]{6}$/.test(branding.primaryColor)) {
      const palette = brandPalette(branding.primaryColor);
      document.documentElement.style.setProperty('--brand-primary', palette.light);
      document.documentElement.style.setProperty('--brand-primary-dark', palette.dark);
    }
  }
}

export const branding = new BrandingState();
