/**
 * Kysely table types of supervision after the sale (issue #15): 亩均 performance (migration
 * 017), idle land (015) and field inspections (016). Part of schema.ts's `Database`, kept apart
 * so that file stays one screenful per concern.
 */
import type { ColumnType, Generated } from 'kysely';
import type { DateText, Numeric, Timestamp } from './schema.ts';

// --- 亩均 performance (migration 017) ---------------------------------------------------------

/** One allocation's figures for a year: money in fen (bigint, as text), energy in tce. */
export interface AllocationPerformanceTable {
  allocation_id: number;
  year: number;
  output_fen: ColumnType<string, string | bigint, string | bigint>;
  tax_fen: ColumnType<string, string | bigint, string | bigint>;
  energy_tce: Numeric;
  employees: number;
  source: 'entry' | 'import' | 'sample';
  recorded_by: string | null;
  recorded_at: Timestamp;
}

/** A version of the A/B/C grade minimums per 亩 (whole yuan); rows immutable. */
export interface MuGradeThresholdsTable {
  id: Generated<number>;
  effective_from: ColumnType<Date | string, string, string>;
  sample: boolean;
  source: string;
  a_output_yuan: ColumnType<string, string | number, string | number>;
  a_tax_yuan: ColumnType<string, string | number, string | number>;
  b_output_yuan: ColumnType<string, string | number, string | number>;
  b_tax_yuan: ColumnType<string, string | number, string | number>;
  c_output_yuan: ColumnType<string, string | number, string | number>;
  c_tax_yuan: ColumnType<string, string | number, string | number>;
  created_by: string | null;
  created_at: Timestamp;
}

// --- Idle land (migration 015) -----------------------------------------------------------------

/** 开发进度 after the start (art. 2 of 《闲置土地处置办法》). `invested_fen` is bigint: read as `::text`. */
export interface AllocationProgressTable {
  id: Generated<number>;
  allocation_id: number;
  reported_on: DateText;
  developed_area_m2: Numeric;
  invested_fen: ColumnType<string, string | bigint, string | bigint>;
  recorded_by: number | null;
  recorded_at: Timestamp;
  sample: Generated<boolean>;
}

/** A government-caused delay (art. 8): moves the dates, never yields a fee. */
export interface GovernmentDelayTable {
  id: Generated<number>;
  allocation_id: number;
  cause: 'late_handover' | 'planning_change' | 'military_or_heritage' | 'other';
  days: number;
  evidence: string;
  note: string | null;
  recorded_by: number | null;
  recorded_at: Timestamp;
  sample: Generated<boolean>;
}

/** An officer's decision on idle land with its 决定文号; a fee only on an idle_fee decision (CHECK). */
export interface SupervisionDecisionTable {
  id: Generated<number>;
  allocation_id: number;
  kind: 'idle_fee' | 'reclaim' | 'no_action';
  document_no: string;
  decided_on: DateText;
  fee_fen: ColumnType<string | null, string | bigint | null, string | bigint | null>;
  note: string | null;
  decided_by: number | null;
  recorded_at: Timestamp;
  sample: Generated<boolean>;
}

/** The last stage recorded per allocation, so each stage change is audited once. */
export interface SupervisionStageTable {
  allocation_id: number;
  stage: 'on_track' | 'overdue' | 'idle_fee' | 'reclaim' | 'government_delay';
  since: DateText;
  updated_at: Timestamp;
}

// --- Field inspections (migration 016) -----------------------------------------------------------

export interface InspectionTable {
  id: Generated<number>;
  allocation_id: number;
  reason: string;
  assignee_id: number;
  due_on: DateText | null;
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  created_by: number | null;
  created_at: Timestamp;
  conclusion: string | null;
  closed_on: DateText | null;
  closed_by: number | null;
  closed_at: Date | string | null;
  sample: Generated<boolean>;
}

export interface InspectionVisitTable {
  id: Generated<number>;
  inspection_id: number;
  visited_on: DateText;
  findings: string;
  recorded_by: number | null;
  recorded_at: Timestamp;
  sample: Generated<boolean>;
}

export interface InspectionPhotoTable {
  id: Generated<number>;
  visit_id: number;
  content_type: 'image/jpeg' | 'image/png';
  bytes: number;
  /** bytea: a Buffer from pg, a Uint8Array from PGlite. */
  data: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  lon: Numeric | null;
  lat: Numeric | null;
  sha256: string;
  uploaded_by: number | null;
  created_at: Timestamp;
  sample: Generated<boolean>;
}
