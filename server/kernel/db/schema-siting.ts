/**
 * Kysely table types of siting (issue #16): transport hubs and innovation anchors (migration
 * 019). Part of schema.ts's `Database`.
 */
import type { ColumnType, Generated } from 'kysely';
import type { HubKind } from '../../../shared/contract/siting.ts';
import type { Numeric, Timestamp } from './schema.ts';

export interface HubTable {
  id: Generated<number>;
  kind: HubKind;
  name_zh: string;
  name_en: string;
  /** WGS84, 6 decimals; CHECKed within Guangzhou's extent. */
  lon: Numeric;
  lat: Numeric;
  source: string;
  /** true: an approximate location (± about 1 km), not a survey. */
  indicative: ColumnType<boolean, boolean | undefined, boolean>;
  note: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
}
