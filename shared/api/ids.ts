import { z } from 'zod';

/** An id in a path, body or query: the store's ids are short random strings; anything longer is not one. */
export const entityId = z.string().min(1).max(64);
