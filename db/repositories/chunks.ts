/**
 * SQLite caps the number of bound parameters per statement (32766 since 3.32); bulk inserts are
 * split so that a wide table with many rows stays below it.
 */
export async function inChunks<T>(rows: readonly T[], size = 200): Promise<T[][]> {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}
