import type { NoticeCategory } from '../../../../shared/api/staff-notices.ts';
import type { DocumentType } from '../../../../shared/api/documents.ts';
import { m } from '../../../../shared/i18n/paraglide/messages.js';

/** The tenant app's category names: staff and tenants call a notice the same. */
export const categoryLabel: Record<NoticeCategory, () => string> = {
  general: m.notice_category_general,
  maintenance: m.notice_category_maintenance,
  cleaning: m.notice_category_cleaning,
  event: m.notice_category_event,
  safety: m.notice_category_safety,
  house_rules: m.notice_category_house_rules,
};

export const documentTypeLabel: Record<DocumentType, () => string> = {
  operating_cost_statement: m.document_type_operating_cost_statement,
  contract: m.document_type_contract,
  letter: m.document_type_letter,
  house_rules: m.document_type_house_rules,
  rent_change: m.document_type_rent_change,
  certificate: m.document_type_certificate,
  owner_statement: m.document_type_owner_statement,
  minutes: m.document_type_minutes,
  economic_plan: m.document_type_economic_plan,
  owners_meeting_invitation: m.document_type_owners_meeting_invitation,
  other: m.document_type_other,
};
