import { z } from 'zod';

/**
 * Closing a repair: when the contractor reports done, the tenant is asked whether it is fixed
 * (`GET|POST /api/tickets/:id/repair-confirmation`); the staff report counts first-time fixes and
 * days to fix per contractor (`GET /api/staff/reports/contractors`).
 */

export const repairConfirmationStates = ['asked', 'fixed', 'not_fixed'] as const;
export type RepairConfirmationState = (typeof repairConfirmationStates)[number];

/** The longest comment: as long as a reply in the dialog may be. */
export const repairCommentMax = 2000;

/**
 * `POST /api/tickets/:id/repair-confirmation`: fixed with a rating of 1–5 and an optional comment,
 * or not fixed with the tenant's words (required: they become the tenant's message in the dialog).
 */
export const repairConfirmationRequest = z.discriminatedUnion('fixed', [
  z.strictObject({
    fixed: z.literal(true),
    rating: z.number().int().min(1).max(5),
    comment: z.string().trim().max(repairCommentMax).optional(),
  }),
  z.strictObject({
    fixed: z.literal(false),
    comment: z.string().trim().min(1, { message: 'required' }).max(repairCommentMax),
  }),
]);
export type RepairConfirmationRequest = z.infer<typeof repairConfirmationRequest>;

export interface RepairConfirmationDto {
  id: string;
  ticketId: string;
  /** The company that reported the work done. */
  contractorName: string;
  state: RepairConfirmationState;
  rating: number | null;
  comment: string | null;
  askedAt: string;
  answeredAt: string | null;
}

/** `GET /api/tickets/:id/repair-confirmation`: the open question, else the latest answered one. */
export interface RepairConfirmationAnswer {
  confirmation: RepairConfirmationDto;
  /** Whether this reader may answer now (asked, and a tenant with write access). */
  canAnswer: boolean;
}

/**
 * One contractor's figures over the jobs reported done in the period. A first-time fix is a job
 * the tenant confirmed fixed with no "not fixed" on the same ticket before it. Days to fix run
 * from the job's dispatch to the contractor's report of done, over the jobs confirmed fixed: the
 * contractor's own time to a repair that held, without the time the tenant took to answer.
 */
export interface ContractorRepairFiguresDto {
  contractorId: string;
  name: string;
  jobsDone: number;
  /** Jobs the tenant has answered (fixed or not fixed). */
  answered: number;
  firstTimeFixes: number;
  /** firstTimeFixes / answered, 0–1; null while no job is answered. */
  firstTimeFixRate: number | null;
  medianDaysToFix: number | null;
  meanDaysToFix: number | null;
  /** Mean of the tenants' ratings (1–5), two decimals; null without any. */
  averageRating: number | null;
  rated: number;
}

export interface ContractorRepairReportDto {
  period: { from: string; to: string; timeZone: string };
  contractors: ContractorRepairFiguresDto[];
}
