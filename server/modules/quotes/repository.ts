/** The facts of a plot its price floor is computed from. Executor first. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A plot's A, C, land level and grade, and its park's district; undefined when there is no such plot. */
export function findPlotFloorFacts(db: Executor, plotId: number) {
  return db
    .selectFrom('plots as pl')
    .innerJoin('parks as p', 'p.id', 'pl.park_id')
    .select(['pl.id', 'pl.code', 'pl.area_m2', 'pl.land_level', 'pl.land_grade', 'pl.cost_yuan', 'pl.sample', 'p.district_code'])
    .where('pl.id', '=', plotId)
    .executeTakeFirst();
}
