import { m } from '../../../../shared/i18n/paraglide/messages.js';
import type { ApiKeyScope } from '../../../../shared/api/integration.ts';
import type {
  ImportEntity,
  ImportJobDto,
  ImportJobState,
  ImportMode,
} from '../../../../shared/api/import.ts';
import type { WebhookDeliveryState, WebhookEventType } from '../../../../shared/api/webhooks.ts';

export const scopeLabel: Record<ApiKeyScope, () => string> = {
  import: m.integration_scope_import,
  webhooks: m.integration_scope_webhooks,
  read: m.integration_scope_read,
};
export const scopeDescription: Record<ApiKeyScope, () => string> = {
  import: m.integration_scope_import_text,
  webhooks: m.integration_scope_webhooks_text,
  read: m.integration_scope_read_text,
};

export const eventLabel: Record<WebhookEventType, () => string> = {
  'ticket.created': m.integration_event_ticket_created,
  'ticket.updated': m.integration_event_ticket_updated,
  'ticket.message.created': m.integration_event_ticket_message_created,
  'person.contact.change_requested': m.integration_event_contact_change,
  'contract.change_requested': m.integration_event_contract_change,
  'registration.completed': m.integration_event_registration_completed,
  'ticket.dispatched': m.integration_event_ticket_dispatched,
  'ticket.repair_completed': m.integration_event_ticket_repair_completed,
};

/** Text first; the colour class only repeats it (WCAG 1.4.1). */
export const deliveryState: Record<WebhookDeliveryState, { label: () => string; tone: string }> = {
  pending: { label: m.integration_delivery_pending, tone: 'info' },
  delivered: { label: m.integration_delivery_delivered, tone: 'ok' },
  failed: { label: m.integration_delivery_failed, tone: 'warning' },
  dead: { label: m.integration_delivery_dead, tone: 'warning' },
};

export const entityLabel: Record<ImportEntity | 'file', () => string> = {
  estates: m.integration_import_entity_estates,
  buildings: m.integration_import_entity_buildings,
  units: m.integration_import_entity_units,
  persons: m.integration_import_entity_persons,
  contracts: m.integration_import_entity_contracts,
  ledgerEntries: m.integration_import_entity_ledger_entries,
  invoices: m.integration_import_entity_invoices,
  documents: m.integration_import_entity_documents,
  contractors: m.integration_import_entity_contractors,
  file: m.integration_import_entity_file,
};

export const modeLabel: Record<ImportMode, () => string> = {
  delta: m.integration_import_mode_delta,
  full: m.integration_import_mode_full,
};

export const jobState: Record<ImportJobState, { label: () => string; tone: string }> = {
  running: { label: m.integration_import_state_running, tone: 'info' },
  checked: { label: m.integration_import_state_checked, tone: 'ok' },
  applied: { label: m.integration_import_state_applied, tone: 'ok' },
  refused: { label: m.integration_import_state_refused, tone: 'warning' },
  failed: { label: m.integration_import_state_failed, tone: 'warning' },
};

export const phaseLabel: Record<NonNullable<ImportJobDto['progress']>['phase'], () => string> = {
  reading: m.integration_import_phase_reading,
  checking: m.integration_import_phase_checking,
  writing: m.integration_import_phase_writing,
};
