/**
 * Kysely table types of project land demand (随用随供, issue #16 §4; migration 020). Part of
 * schema.ts's `Database`, kept apart so that file stays one screenful per concern.
 */
import type { ColumnType, Generated } from 'kysely';
import type { ProjectSector } from '../../../shared/domain.ts';
import type { DemandRequirements } from '../../../shared/contract/siting.ts';
import type { DateText, Numeric, Timestamp } from './schema.ts';

/** What the bureau did; `satisfied` is read from the linked allocation, never stored. */
export type StoredDemandStatus = 'open' | 'matched' | 'closed';

export interface LandDemandTable {
  id: Generated<number>;
  project_name: string;
  enterprise_name: string;
  enterprise_uscc: string | null;
  sector: ProjectSector;
  key_project: boolean;
  needed_by: DateText;
  /** The contract's DemandRequirements; written as a JSON string. */
  requirements: ColumnType<DemandRequirements, string, string>;
  area_mu_min: Numeric;
  area_mu_max: Numeric;
  note: ColumnType<string, string | undefined, string>;
  source: 'direct' | 'interest';
  interest_id: number | null;
  status: ColumnType<StoredDemandStatus, StoredDemandStatus | undefined, StoredDemandStatus>;
  close_reason: string | null;
  /** The districts it concerns: its requirements' districtCodes ∪ the matched plot's district. */
  district_codes: ColumnType<string[], string[] | undefined, string[]>;
  hold_id: number | null;
  allocation_id: number | null;
  plot_id: number | null;
  sample: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
