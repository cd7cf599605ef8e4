import { m } from '../../../../shared/i18n/paraglide/messages.js';
import type { ContractorTrade } from '../../../../shared/api/contractors.ts';

/** The trades of the contractor directory, in the reader's language. */
export const tradeLabel: Record<ContractorTrade, () => string> = {
  plumbing: m.contractor_trade_plumbing,
  heating: m.contractor_trade_heating,
  electrical: m.contractor_trade_electrical,
  locksmith: m.contractor_trade_locksmith,
  joinery: m.contractor_trade_joinery,
  painting: m.contractor_trade_painting,
  roofing: m.contractor_trade_roofing,
  glazing: m.contractor_trade_glazing,
  pest_control: m.contractor_trade_pest_control,
  cleaning: m.contractor_trade_cleaning,
  gardening: m.contractor_trade_gardening,
  lift: m.contractor_trade_lift,
  general: m.contractor_trade_general,
};
