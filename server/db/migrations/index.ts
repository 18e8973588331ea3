/**
 * The ordered list of migrations. A static list (not a folder scan) so the same files run under
 * tsx, in tests and in any bundle. Names sort in the order they apply; never rename one.
 */
import type { Migration } from 'kysely';
import * as m001 from './001_core.ts';

export const migrations: Record<string, Migration> = {
  '001_core': m001,
};
