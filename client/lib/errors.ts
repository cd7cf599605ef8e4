import { m } from '../../shared/i18n/paraglide/messages.js';
import { ApiError } from './api.ts';

/**
 * Error codes (API.md) → user-facing text. The server's own `message` is never shown: it is English,
 * technical, and not meant for tenants. Unknown codes fall back by HTTP status, then to a generic text.
 */
const byCode: Record<string, () => string> = {
  invalid_credentials: m.error_invalid_credentials,
  email_not_verified: m.error_email_not_verified,
  account_disabled: m.error_account_disabled,
  already_registered: m.error_already_registered,
  registration_pending: m.error_registration_pending,
  email_unchanged: m.error_email_unchanged,
  too_many_requests: m.error_too_many_requests,
  unauthenticated: m.error_unauthenticated,
  invalid_code: m.error_invalid_code,
  code_used: m.error_code_used,
  email_taken: m.error_email_taken,
  validation_failed: m.error_validation_failed,
  invalid_json: m.error_validation_failed,
  invalid_token: m.error_invalid_token,
  current_password_wrong: m.error_current_password_wrong,
  origin_mismatch: m.error_origin_mismatch,
  payload_too_large: m.error_payload_too_large,
  unsupported_media_type: m.error_unsupported_media_type,
  pdf_encrypted: m.uploads_error_pdf_encrypted,
  network_error: m.error_network,
  not_found: m.error_not_found,
  forbidden: m.error_forbidden,
  field_locked: m.error_field_locked,
  not_main_tenant: m.error_not_main_tenant,
  cannot_change_own_access: m.error_cannot_change_own_access,
  cannot_remove_member: m.household_cannot_remove,
};

/** The text to show for a failed call (or any thrown value). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return m.error_unknown();
  if (error.code === 'too_many_requests' && error.retryAfter !== null && error.retryAfter > 0) {
    return m.error_too_many_requests_wait({ minutes: Math.ceil(error.retryAfter / 60) });
  }
  const text = byCode[error.code];
  if (text) return text();
  if (error.status === 403) return m.error_forbidden();
  if (error.status === 404) return m.error_not_found();
  if (error.status === 429) return m.error_too_many_requests();
  if (error.status >= 500) return m.error_server();
  return m.error_unknown();
}

/**
 * Field problem codes → text. The same codes come from the client's zod check (issue codes or
 * snake_case refine messages) and from the server's `error.fields` (password policy codes).
 */
const byFieldCode: Record<string, () => string> = {
  required: m.field_required,
  too_small: m.field_required,
  invalid_type: m.field_required,
  invalid_format: m.field_email_invalid,
  email_invalid: m.field_email_invalid,
  too_big: m.field_too_long,
  invalid_value: m.field_consent_required,
  emails_differ: m.field_emails_differ,
  passwords_differ: m.field_passwords_differ,
  code_too_short: m.field_code_too_short,
  password_too_short: m.field_password_too_short,
  password_too_long: m.field_password_too_long,
  password_common: m.field_password_common,
  password_personal: m.field_password_personal,
  password_needs_lowercase: m.field_password_needs_lowercase,
  password_needs_uppercase: m.field_password_needs_uppercase,
  password_needs_digits: m.field_password_needs_digits,
  password_needs_symbols: m.field_password_needs_symbols,
  // Conflicts the server reports for one field (see forms.ts failureFields).
  invalid_code: m.error_invalid_code,
  code_used: m.error_code_used,
  email_taken: m.error_email_taken,
  email_unchanged: m.error_email_unchanged,
  current_password_wrong: m.error_current_password_wrong,
  // A person's name refused by the shared schema (shared/api/household.ts personName).
  name_invalid: m.household_name_invalid,
};

export function fieldMessage(code: string): string {
  return (byFieldCode[code] ?? m.field_invalid)();
}
