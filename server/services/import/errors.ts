import type { ImportProblem } from '../../../shared/api/import.ts';
import { HttpError } from '../../lib/http-error.ts';
import { maxReportedProblems } from './validate.ts';

/** 422 `import_invalid` with every located problem (API.md); nothing of the load was stored. */
export function importInvalid(problems: ImportProblem[], problemCount = problems.length): HttpError {
  const listed = problems.slice(0, maxReportedProblems);
  const more = problemCount - listed.length;
  return new HttpError(
    422,
    'import_invalid',
    `The load was refused: ${problemCount} problem${problemCount === 1 ? '' : 's'}` +
      (more > 0 ? ` (the first ${listed.length} are listed).` : '.'),
    undefined,
    undefined,
    { records: listed, problemCount },
  );
}
