import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { testTables } from './tables.ts';

/** A building of the demo's Malmö estate (the only estate in Sweden), on either store. */
export async function malmoBuildingId(db: Db): Promise<string> {
  const { buildings, estates } = testTables;
  const [row] = await db
    .select({ id: buildings.id })
    .from(buildings)
    .innerJoin(estates, eq(estates.id, buildings.estateId))
    .where(eq(estates.country, 'SE'))
    .orderBy(buildings.id)
    .limit(1);
  if (!row) throw new Error('the demo has no building in Malmö');
  return row.id;
}
