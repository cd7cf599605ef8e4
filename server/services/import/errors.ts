import type { ImportProblem } from '../../../shared/api/import.ts';
import { HttpError } from '../../lib/http-error.ts';
import { maxListedProblems } from './problems.ts';

/**
 * 422 `import_invalid` with every located problem (API.md), as the load's collector listed them
 * (capped, with a closing note when there were more); nothing of the load was stored.
 */
export function importInvalid(problems: ImportProblem[], problemCount = problems.length): HttpError {
  return new HttpError(
    422,
    'import_invalid',
    `The load was refused: ${problemCount} problem${problemCount === 1 ? '' : 's'}` +
      (problemCount > maxListedProblems ? ` (the first ${maxListedProblems} are listed).` : '.'),
    undefined,
    undefined,
    { records: problems, problemCount },
  );
}
