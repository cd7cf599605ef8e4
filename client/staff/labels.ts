import type { InboxView, SlaState } from '../../shared/api/staff.ts';
import type { TicketStatus } from '../../shared/api/tickets.ts';
import { m } from '../../shared/i18n/paraglide/messages.js';

/** Staff wording for codes from the API (the tenant app has its own, addressed to tenants). */
export const statusLabel: Record<TicketStatus, () => string> = {
  new: m.staff_status_new,
  in_progress: m.staff_status_in_progress,
  waiting_tenant: m.staff_status_waiting_tenant,
  resolved: m.staff_status_resolved,
  closed: m.staff_status_closed,
};

export const priorityLabel: Record<'low' | 'normal' | 'high' | 'urgent', () => string> = {
  low: m.staff_priority_low,
  normal: m.staff_priority_normal,
  high: m.staff_priority_high,
  urgent: m.staff_priority_urgent,
};

export const viewLabel: Record<InboxView, () => string> = {
  unassigned: m.staff_view_unassigned,
  mine: m.staff_view_mine,
  all: m.staff_view_all,
  overdue: m.staff_view_overdue,
  waiting: m.staff_view_waiting,
};

export const slaLabel: Record<SlaState, () => string> = {
  ok: m.staff_sla_ok,
  due_soon: m.staff_sla_due_soon,
  breached: m.staff_sla_breached,
  met: m.staff_sla_met,
  paused: m.staff_sla_paused,
  none: m.staff_sla_none,
};

/** A system line of the dialog ("status:new->in_progress", "merged_into:2026-000123") in words. */
export function systemLine(body: string): string {
  const status = /^status:(\w+)->(\w+)$/.exec(body);
  if (status) {
    const to = statusLabel[status[2] as TicketStatus];
    return m.staff_system_status({ status: to ? to() : status[2]! });
  }
  const merged = /^merged_(into|from):(.+)$/.exec(body);
  if (merged) {
    return merged[1] === 'into'
      ? m.staff_system_merged_into({ number: merged[2]! })
      : m.staff_system_merged_from({ number: merged[2]! });
  }
  return body;
}

const auditLabels: Record<string, () => string> = {
  'ticket.created': m.staff_audit_created,
  'ticket.status_changed': m.staff_audit_status,
  'ticket.priority_changed': m.staff_audit_priority,
  'ticket.assigned': m.staff_audit_assigned,
  'ticket.updated': m.staff_audit_updated,
  'ticket.merged': m.staff_audit_merged,
  'ticket.merge_received': m.staff_audit_merge_received,
  'ticket.incident_linked': m.staff_audit_incident,
};

export const auditLabel = (action: string) => auditLabels[action]?.() ?? action;

/** Keys that must not fire while someone types (WCAG 2.1.4 character key shortcuts). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A span in the largest unit that reads well in a list: "45 min", "3 h", "4 d". */
export function spanText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return m.desk_span_minutes({ count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return m.desk_span_hours({ count: hours });
  return m.desk_span_days({ count: Math.round(hours / 24) });
}

/** How long ago the ticket was filed. */
export const ageText = (createdAt: string, now: number) => spanText(now - Date.parse(createdAt));

/**
 * The next SLA deadline as words and a tone ("in 3 h", "2 h overdue"): the first response while
 * it is owed, then the resolution. Null when no clock runs (met, paused, none).
 */
export function slaDueText(
  ticket: {
    status: TicketStatus;
    sla: {
      firstResponse: { dueAt: string | null; doneAt: string | null };
      resolution: { dueAt: string | null; doneAt: string | null };
    };
  },
  now: number,
): { text: string; tone: 'over' | 'soon' | 'ok' } | null {
  if (ticket.status === 'waiting_tenant' || ticket.status === 'resolved' || ticket.status === 'closed')
    return null;
  const { firstResponse, resolution } = ticket.sla;
  const due =
    !firstResponse.doneAt && firstResponse.dueAt
      ? firstResponse.dueAt
      : resolution.doneAt
        ? null
        : resolution.dueAt;
  if (!due) return null;
  const left = Date.parse(due) - now;
  if (left < 0) return { text: m.desk_sla_overdue({ time: spanText(-left) }), tone: 'over' };
  return { text: m.desk_sla_in({ time: spanText(left) }), tone: left < 2 * 3_600_000 ? 'soon' : 'ok' };
}
