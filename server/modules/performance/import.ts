/**
 * The 亩均 CSV import (issue #15 §4): one row per allocation and year, columns 合同编号 or 地块编号,
 * 年度, 产值, 税收, 能耗, 从业人员 (or contractNo, plotCode, year, outputYuan, taxYuan, energyTce,
 * employees). 产值 and 税收 in yuan (≤ 2 decimals), 能耗 in tce (≤ 4 decimals).
 *
 * - Encoding: UTF-8 (a BOM is dropped); a file that is not valid UTF-8 is read as GBK (what
 *   Chinese Excel writes) and the preview says which; neither → 400 CSV_ENCODING.
 * - Keys: 合同编号 is the allocation's 出让合同编号; 地块编号 resolves to the plot's current
 *   contracted or completed allocation. Both given: they must name the same allocation.
 * - Preview: every row with its errors ({ field, message }); nothing written.
 * - Commit: the same file again (no server-side state to expire or lose), checked again inside
 *   the transaction; any row with an error → 422 IMPORT_HAS_ERRORS listing the rows and nothing
 *   written; else every row written (a year already recorded is replaced) with one audit event
 *   per row (before/after), all in one transaction.
 *
 * `row` is the line as a spreadsheet numbers it: the header is row 1.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { callerUserId } from '../../kernel/caller.ts';
import { idempotent, type IdempotentResult, type WriteOptions } from '../../kernel/idempotency.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { bureauYear } from '../../kernel/dates.ts';
import { districtScope, type DistrictScope } from '../auth/scope.ts';
import { fenToYuan } from '../../../shared/money.ts';
import type { PerformanceImportCommit, PerformanceImportPreview, PerformanceImportRow } from '../../../shared/contract/performance.ts';
import { readFigures, yearError, type FieldError, type ReadFigures } from './figures.ts';
import {
  allocationsByContractNo,
  currentAllocationsByPlotCode,
  existingPlotCodes,
  PERFORMANCE_STATUSES,
  recordedYears,
  upsertPerformance,
  type PerformanceAllocation,
  type PerformanceRow,
} from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type CsvEncoding = 'utf-8' | 'gbk';

/** At most this many figure rows per file. */
export const MAX_IMPORT_ROWS = 2000;

const norm = (s: string) => s.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_\-（）()[\]【】:：]/g, '');

const COLUMNS = {
  contractNo: ['合同编号', '出让合同编号', 'contractno', 'contract'],
  plotCode: ['地块编号', '宗地编号', 'plotcode', 'plot'],
  year: ['年度', '年份', 'year'],
  outputYuan: ['产值', '产值元', 'outputyuan', 'output'],
  taxYuan: ['税收', '税收元', 'taxyuan', 'tax'],
  energyTce: ['能耗', '能耗吨标准煤', '能耗tce', 'energytce', 'energy'],
  employees: ['从业人员', '从业人数', '从业人员人', 'employees'],
} as const;
type Column = keyof typeof COLUMNS;

/** UTF-8 (BOM dropped), else GBK; 400 CSV_ENCODING when the bytes are neither, or not text. */
export function decodeCsv(data: Uint8Array): { text: string; encoding: CsvEncoding } {
  let text: string;
  let encoding: CsvEncoding;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
    encoding = 'utf-8';
  } catch {
    try {
      text = new TextDecoder('gbk', { fatal: true }).decode(data);
      encoding = 'gbk';
    } catch {
      throw badRequest('The file is neither UTF-8 nor GBK text; save it as CSV (UTF-8) and upload again (文件既不是 UTF-8 也不是 GBK 编码的文本，请另存为 CSV UTF-8 后重新上传).', { reason: 'CSV_ENCODING', field: 'file' });
    }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/.test(text)) {
    throw badRequest('The file holds characters that are not text (a spreadsheet saved as .xlsx?); save it as CSV and upload again (文件含非文本字符，请另存为 CSV 后重新上传).', { reason: 'CSV_ENCODING', field: 'file' });
  }
  return { text, encoding };
}

interface ParsedRow {
  row: number;
  cells: Partial<Record<Column, string>>;
}

/** The header and figure rows; 400 CSV_COLUMNS when a key or figure column is missing. */
export function parseCsv(text: string): ParsedRow[] {
  const res = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  const lines = res.data;
  const header = (lines[0] ?? []).map((h) => norm(String(h)));
  const index = {} as Partial<Record<Column, number>>;
  for (const col of Object.keys(COLUMNS) as Column[]) {
    const i = header.findIndex((h) => (COLUMNS[col] as readonly string[]).includes(h));
    if (i >= 0) index[col] = i;
  }
  const missing: string[] = [];
  if (index.contractNo === undefined && index.plotCode === undefined) missing.push('合同编号/contractNo 或/or 地块编号/plotCode');
  const zh: Record<Exclude<Column, 'contractNo' | 'plotCode'>, string> = { year: '年度', outputYuan: '产值', taxYuan: '税收', energyTce: '能耗', employees: '从业人员' };
  for (const [col, name] of Object.entries(zh)) if (index[col as Column] === undefined) missing.push(`${name}/${col}`);
  if (missing.length > 0) {
    throw badRequest(`The file lacks the column(s) ${missing.join(', ')}; it has: ${(lines[0] ?? []).join(', ') || '(no header)'} (缺少列：${missing.join('、')}).`, { reason: 'CSV_COLUMNS', field: 'file', missing });
  }
  const rows: ParsedRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.every((c) => String(c).trim() === '')) continue;
    const cells: Partial<Record<Column, string>> = {};
    for (const [col, at] of Object.entries(index) as [Column, number][]) cells[col] = String(line[at] ?? '').trim();
    rows.push({ row: i + 1, cells });
  }
  if (rows.length === 0) throw badRequest('The file has a header but no figures (文件没有数据行).', { reason: 'EMPTY', field: 'file' });
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badRequest(`The file has ${rows.length} rows, more than ${MAX_IMPORT_ROWS}; split it (行数超过上限 ${MAX_IMPORT_ROWS}，请拆分).`, { reason: 'CSV_TOO_MANY_ROWS', field: 'file' });
  }
  return rows;
}

const both = (zh: string, en: string) => `${zh} / ${en}`;
/** Amounts may be written with thousands separators (1,234.50). */
const numberText = (s: string | undefined) => (s ?? '').replace(/[,，]/g, '').trim();
/** An area no figure is too large on: for checking the form of the figures of a row whose allocation is unknown. */
const ANY_AREA_M2 = '1000000000';

interface CheckedRow {
  preview: PerformanceImportRow;
  allocation: PerformanceAllocation | null;
  figures: ReadFigures | null;
  before: PerformanceRow | undefined;
}

/** Every row checked against the database as it is now (in the caller's transaction, on commit). */
async function checkRows(db: Executor, rows: ParsedRow[], scope: DistrictScope): Promise<CheckedRow[]> {
  const contractNos = [...new Set(rows.map((r) => r.cells.contractNo ?? '').filter((s) => s !== ''))];
  const plotCodes = [...new Set(rows.map((r) => r.cells.plotCode ?? '').filter((s) => s !== ''))];
  const byContract = await allocationsByContractNo(db, contractNos);
  const byPlot = await currentAllocationsByPlotCode(db, plotCodes);
  const plotsKnown = await existingPlotCodes(db, plotCodes);
  const ids = [...new Set([...byContract.values(), ...byPlot.values()].map((a) => a.id))];
  const recorded = await recordedYears(db, ids);
  const currentYear = bureauYear();
  const seen = new Map<string, number>();
  const out: CheckedRow[] = [];

  for (const { row, cells } of rows) {
    const errors: FieldError[] = [];
    const contractNo = cells.contractNo || null;
    const plotCode = cells.plotCode || null;
    let allocation: PerformanceAllocation | null = null;
    if (contractNo) {
      const a = byContract.get(contractNo);
      if (!a) errors.push({ field: 'contractNo', message: both(`合同编号 ${contractNo} 不存在`, `No allocation has contract number ${contractNo}`) });
      else if (!(PERFORMANCE_STATUSES as readonly string[]).includes(a.status)) {
        errors.push({ field: 'contractNo', message: both(`合同 ${contractNo} 的供地状态为 ${a.status}，不能录入`, `The allocation of contract ${contractNo} is ${a.status}; only contracted or completed ones take figures`) });
      } else allocation = a;
      if (a && plotCode && a.plotCode !== plotCode) {
        errors.push({ field: 'plotCode', message: both(`地块编号 ${plotCode} 与合同 ${contractNo} 的地块 ${a.plotCode} 不符`, `Plot ${plotCode} is not the plot of contract ${contractNo} (${a.plotCode})`) });
        allocation = null;
      }
    } else if (plotCode) {
      const a = byPlot.get(plotCode);
      if (a) allocation = a;
      else if (!plotsKnown.has(plotCode)) errors.push({ field: 'plotCode', message: both(`地块编号 ${plotCode} 不存在`, `No plot has code ${plotCode}`) });
      else errors.push({ field: 'plotCode', message: both(`地块 ${plotCode} 没有已签约或已竣工的供地`, `Plot ${plotCode} has no contracted or completed allocation`) });
    } else {
      errors.push({ field: 'contractNo', message: both('合同编号或地块编号必填其一', 'Give the contract number or the plot code') });
    }
    if (allocation) {
      const outside = scope.kind === 'none' || (scope.kind === 'district' && scope.code !== allocation.districtCode);
      if (outside) {
        errors.push({ field: contractNo ? 'contractNo' : 'plotCode', message: both(`该供地位于 ${allocation.districtCode}，不在您的辖区`, `The allocation is in district ${allocation.districtCode}, outside yours`) });
        allocation = null;
      }
    }

    const yearText = numberText(cells.year);
    const yearErr = yearError(yearText, allocation?.signedOn ?? null, currentYear);
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : null;
    if (yearErr) errors.push(yearErr);

    const raw = { outputYuan: numberText(cells.outputYuan), taxYuan: numberText(cells.taxYuan), energyTce: numberText(cells.energyTce), employees: numberText(cells.employees) };
    for (const [field, v] of Object.entries(raw)) if (v === '') errors.push({ field, message: both('不能为空', 'must not be empty') });
    let figures: ReadFigures | null = null;
    const blank = new Set(errors.map((e) => e.field));
    const read = readFigures(raw, allocation?.areaM2 ?? ANY_AREA_M2);
    if (read.ok) figures = read.value;
    else errors.push(...read.errors.filter((e) => !blank.has(e.field)));

    let before: PerformanceRow | undefined;
    if (allocation && year !== null && !yearErr) {
      const key = `${allocation.id}:${year}`;
      const first = seen.get(key);
      if (first !== undefined) errors.push({ field: 'year', message: both(`与第 ${first} 行重复（同一供地同一年度）`, `Same allocation and year as row ${first}`) });
      else seen.set(key, row);
      before = recorded.get(key);
    }

    const ok = errors.length === 0 && allocation !== null && figures !== null && year !== null;
    out.push({
      preview: {
        row, contractNo, plotCode, allocationId: allocation?.id ?? null, year,
        outputYuan: figures ? fenToYuan(figures.figures.outputFen) : null,
        taxYuan: figures ? fenToYuan(figures.figures.taxFen) : null,
        energyTce: figures ? figures.figures.energyTce : null,
        employees: figures ? figures.figures.employees : null,
        replaces: before !== undefined, ok, errors,
      },
      allocation: ok ? allocation : null,
      figures: ok ? figures : null,
      before,
    });
  }
  return out;
}

function previewOf(encoding: CsvEncoding, checked: CheckedRow[]): PerformanceImportPreview {
  const rows = checked.map((c) => c.preview);
  const errorCount = rows.filter((r) => !r.ok).length;
  return { encoding, rows, okCount: rows.length - errorCount, errorCount };
}

/** POST /api/supervision/performance/import — the preview; nothing is written. */
export async function previewPerformanceImport(db: Kysely<Database>, caller: Caller, data: Uint8Array): Promise<PerformanceImportPreview> {
  callerUserId(caller);
  const { text, encoding } = decodeCsv(data);
  return previewOf(encoding, await checkRows(db, parseCsv(text), districtScope(caller.user)));
}

/** POST /api/supervision/performance/import/commit — the same file: every row or none. */
export async function commitPerformanceImport(
  db: Kysely<Database>,
  caller: Caller,
  data: Uint8Array,
  opts: WriteOptions = {},
): Promise<IdempotentResult<PerformanceImportCommit>> {
  const userId = callerUserId(caller);
  const { text, encoding } = decodeCsv(data);
  const parsed = parseCsv(text);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/supervision/performance/import/commit', request: { sha256 } };
  return idempotent(db, scope, 201, async (trx) => {
    // The allocations named by the file keep their status and figures until the commit ends.
    await lockAllocations(trx, parsed);
    const checked = await checkRows(trx, parsed, districtScope(caller.user));
    const bad = checked.filter((c) => !c.preview.ok).map((c) => ({ row: c.preview.row, errors: c.preview.errors }));
    if (bad.length > 0) {
      const first = bad.slice(0, 5).map((b) => `row ${b.row}: ${b.errors.map((e) => e.field).join(', ')}`).join('; ');
      throw new AppError(422, 'VALIDATION_FAILED', `${bad.length} row(s) have errors (${first}${bad.length > 5 ? ' …' : ''}); nothing was imported (有错误的行，未导入任何数据).`, {
        reason: 'IMPORT_HAS_ERRORS', encoding, rows: bad,
      });
    }
    const written: PerformanceImportCommit['rows'] = [];
    for (const c of checked) {
      const a = c.allocation!;
      const f = c.figures!;
      const after = await upsertPerformance(trx, {
        allocationId: a.id, year: c.preview.year!, outputFen: f.figures.outputFen, taxFen: f.figures.taxFen, energyTce: f.energyText,
        employees: f.figures.employees, source: 'import', recordedBy: caller.user?.username ?? null,
      });
      const audit = (r: PerformanceRow) => ({ year: r.year, outputFen: r.outputFen.toString(), taxFen: r.taxFen.toString(), energyTce: r.energyTce, employees: r.employees, source: r.source });
      await recordEvent(trx, {
        caller, action: c.before ? 'performance.import_replace' : 'performance.import', entity: 'allocation', entityId: a.id,
        before: c.before ? audit(c.before) : undefined, after: { ...audit(after), row: c.preview.row, file: sha256 },
      });
      written.push({ row: c.preview.row, allocationId: a.id, year: after.year, replaced: c.before !== undefined });
    }
    const replaced = written.filter((w) => w.replaced).length;
    return { encoding, written: written.length, created: written.length - replaced, replaced, rows: written };
  });
}

/** FOR UPDATE on the allocations the file names (by contract number or plot): no status change or other write of their figures runs mid-commit. */
async function lockAllocations(trx: Transaction<Database>, rows: ParsedRow[]): Promise<void> {
  const contractNos = [...new Set(rows.map((r) => r.cells.contractNo ?? '').filter((s) => s !== ''))];
  const plotCodes = [...new Set(rows.map((r) => r.cells.plotCode ?? '').filter((s) => s !== ''))];
  if (contractNos.length > 0) await trx.selectFrom('allocations').select('id').where('contract_no', 'in', contractNos).orderBy('id').forUpdate().execute();
  if (plotCodes.length > 0) {
    await trx.selectFrom('allocations as a').innerJoin('plots as pl', 'pl.id', 'a.plot_id').select('a.id')
      .where('pl.code', 'in', plotCodes).where('a.status', 'in', [...PERFORMANCE_STATUSES]).orderBy('a.id').forUpdate('a').execute();
  }
}
