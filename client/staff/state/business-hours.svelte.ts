import {
  businessHoursSchema,
  type BusinessHours,
  type BusinessHoursResponse,
} from '../../../shared/api/business-hours.ts';
import { api, ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';

const path = '/staff/admin/business-hours';

/**
 * The business-hours section of the Admin page. Input is checked with the server's own schema
 * (shared/api/business-hours.ts) before it is sent, so the form shows the same per-field codes
 * the route would answer; the server's 400 `fields` land in the same place.
 */
class BusinessHoursState {
  hours = $state<BusinessHours | null>(null);
  /** Field path ("end", "days", "holidays.2") → snake_case code. */
  errors = $state<Record<string, string>>({});
  /** A non-field problem (network, 403) as text for the alert region. */
  problem = $state<string | null>(null);
  saved = $state(false);
  saving = $state(false);

  async load(): Promise<void> {
    this.problem = null;
    try {
      this.hours = (await api.get<BusinessHoursResponse>(path)).businessHours;
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }

  async save(input: BusinessHours): Promise<boolean> {
    this.saved = false;
    this.problem = null;
    const parsed = businessHoursSchema.safeParse(input);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        errors[issue.path.join('.') || '_'] ??= /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
      }
      this.errors = errors;
      return false;
    }
    this.errors = {};
    this.saving = true;
    try {
      this.hours = (await api.put<BusinessHoursResponse>(path, parsed.data)).businessHours;
      this.saved = true;
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'validation_failed' && Object.keys(error.fields).length)
        this.errors = { ...error.fields };
      else this.problem = errorMessage(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}

export const businessHours = new BusinessHoursState();
