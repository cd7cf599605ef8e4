/** The tickets domain, split by concern; routes and socket handlers import from here. */
export { createTicket } from './create.ts';
export { addMessage, markRead, type MessageInput } from './messages.ts';
export { getTicketDetail, listCustomerTickets, listTicketTypeForms } from './list.ts';
export { rateTicket, reopenTicket } from './lifecycle.ts';
export { patchStaffTicket } from './staff.ts';
export { loadVisibleTicket, isStaffUser, loadStaffScope, staffScopeCovers } from './visibility.ts';
