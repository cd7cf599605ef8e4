import type { ImportEntity, ImportProblem } from '../../../shared/api/import.ts';

/** A load lists at most this many problems; its count says how many there were. */
export const maxListedProblems = 1000;

/**
 * Collects every located problem of a load instead of stopping at the first, so one dry run names
 * all there is to fix; capped, because a wrong file can produce one problem per row.
 */
export class ProblemCollector {
  readonly problems: ImportProblem[] = [];
  private dropped = 0;

  constructor(private readonly max: number) {}

  /** Every problem found, the listed ones and those beyond the cap. */
  get count(): number {
    return this.problems.length + this.dropped;
  }

  get full(): boolean {
    return this.problems.length >= this.max;
  }

  add(problem: {
    entity?: ImportEntity | 'file';
    externalId?: string | null;
    field?: string | null;
    code: string;
    message: string;
    file?: string;
    row?: number;
  }): void {
    if (this.full) {
      this.dropped += 1;
      return;
    }
    const { entity = 'file', externalId = null, field = null, code, message, file, row } = problem;
    this.problems.push({
      entity,
      externalId,
      field,
      code,
      message,
      ...(file !== undefined ? { file } : {}),
      ...(row !== undefined ? { row } : {}),
    });
  }

  /** The list with a closing note when the cap cut it short. */
  result(): ImportProblem[] {
    if (!this.full && this.dropped === 0) return this.problems;
    return [
      ...this.problems,
      {
        entity: 'file',
        externalId: null,
        field: null,
        code: 'too_many_problems',
        message: `only the first ${this.max} problems are listed; fix these and run again`,
      },
    ];
  }
}
