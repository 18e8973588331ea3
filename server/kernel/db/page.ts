import { sql, type SelectQueryBuilder } from 'kysely';

export interface Page {
  limit: number;
  offset: number;
}

/**
 * One page of a filtered list query, in the given order, and the number of rows its filters
 * pick (the same query, counted), read side by side.
 */
export async function pageWithTotal<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  order: (q: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>,
  page: Page,
): Promise<{ rows: O[]; total: number }> {
  const [rows, count] = await Promise.all([
    order(q).limit(page.limit).offset(page.offset).execute(),
    // Generic over the query, Kysely cannot name the selection: the one column is `n`.
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow() as Promise<{ n: number }>,
  ]);
  return { rows: rows as O[], total: count.n };
}
