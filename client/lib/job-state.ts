import type { JobState } from '../../shared/api/dispatch.ts';
import { m } from '../../shared/i18n/paraglide/messages.js';

/**
 * A contractor job's state in the reader's language, for the staff console and the job page. Each
 * message is named here, not looked up by a computed key: a computed key would make the bundle keep
 * every message there is (issue 16: JavaScript per page).
 */
const labels: Record<JobState, () => string> = {
  dispatched: m.job_state_dispatched,
  accepted: m.job_state_accepted,
  declined: m.job_state_declined,
  done: m.job_state_done,
  withdrawn: m.job_state_withdrawn,
  expired: m.job_state_expired,
};

export const jobStateLabel = (state: JobState): string => labels[state]();
