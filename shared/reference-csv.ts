/**
 * The benchmark price table (基准地价, B of 五(三)14) as CSV: `district_code, land_level,
 * yuan_per_m2`, one row per district × land level. The bureau imports the official table in
 * this format; the shipped sample table (seeds/reference/benchmark-prices.sample.csv) is read
 * by the same parser, so both go through one set of checks. Errors are per row, in both
 * languages, so a person can fix the file.
 */
import Papa from 'papaparse';
import { DISTRICT_CODES } from './domain.ts';
import { tryYuanToFen } from './money.ts';

export interface BenchmarkRow {
  districtCode: string;
  landLevel: number;
  yuanPerM2: number;
}

export interface CsvRowError {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  field: string;
  messageZh: string;
  messageEn: string;
}

export type BenchmarkCsvResult = { ok: true; rows: BenchmarkRow[] } | { ok: false; errors: CsvRowError[] };

const HEADER_ALIASES: Record<string, keyof BenchmarkRow> = {
  district_code: 'districtCode', districtcode: 'districtCode', '区划代码': 'districtCode', '行政区划代码': 'districtCode',
  land_level: 'landLevel', landlevel: 'landLevel', '土地级别': 'landLevel', '级别': 'landLevel',
  yuan_per_m2: 'yuanPerM2', yuanperm2: 'yuanPerM2', '基准地价': 'yuanPerM2', '元/平方米': 'yuanPerM2',
};

const MAX_ROWS = 10_000;

/**
 * 五(三)14: parses and checks a benchmark table. Accepts a UTF-8 BOM, commas or tabs, CRLF,
 * English or Chinese headers. Every district must be one of Guangzhou's eleven, levels are
 * integers 1–10, prices are positive yuan with ≤ 2 decimals, and no district × level twice.
 */
export function parseBenchmarkCsv(text: string, knownDistricts: readonly string[] = DISTRICT_CODES): BenchmarkCsvResult {
  const errors: CsvRowError[] = [];
  const err = (line: number, field: string, zh: string, en: string) => errors.push({ line, field, messageZh: zh, messageEn: en });
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';'] });
  const table = parsed.data;
  if (table.length === 0) return { ok: false, errors: [{ line: 1, field: 'file', messageZh: '文件为空', messageEn: 'The file is empty' }] };
  if (table.length - 1 > MAX_ROWS) {
    return { ok: false, errors: [{ line: 1, field: 'file', messageZh: `行数超过上限 ${MAX_ROWS}`, messageEn: `More than ${MAX_ROWS} rows` }] };
  }
  const header = table[0]!.map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? HEADER_ALIASES[h.trim()]);
  const col = (k: keyof BenchmarkRow) => header.indexOf(k);
  const missing = (['districtCode', 'landLevel', 'yuanPerM2'] as const).filter((k) => col(k) < 0);
  if (missing.length) {
    return {
      ok: false,
      errors: [{
        line: 1,
        field: 'header',
        messageZh: `表头须包含 district_code, land_level, yuan_per_m2（或 区划代码, 土地级别, 基准地价）；缺少 ${missing.join(', ')}`,
        messageEn: `The header must name district_code, land_level, yuan_per_m2; missing ${missing.join(', ')}`,
      }],
    };
  }
  const rows: BenchmarkRow[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const district = (cells[col('districtCode')] ?? '').trim();
    const levelText = (cells[col('landLevel')] ?? '').trim();
    const priceText = (cells[col('yuanPerM2')] ?? '').trim();
    let ok = true;
    if (!knownDistricts.includes(district)) {
      err(line, 'district_code', `区划代码 "${district}" 不是广州市的区`, `district_code "${district}" is not a Guangzhou district`);
      ok = false;
    }
    const level = Number(levelText);
    if (!/^\d+$/.test(levelText) || level < 1 || level > 10) {
      err(line, 'land_level', `土地级别 "${levelText}" 须为 1–10 的整数`, `land_level "${levelText}" must be an integer 1–10`);
      ok = false;
    }
    const price = tryYuanToFen(priceText);
    if (!price.ok || price.fen <= 0n) {
      err(line, 'yuan_per_m2', `基准地价 "${priceText}" 须为正数（元/平方米，最多两位小数）`, `yuan_per_m2 "${priceText}" must be a positive number of yuan/m² with at most 2 decimals`);
      ok = false;
    }
    if (!ok) return;
    const key = `${district}:${level}`;
    const first = seen.get(key);
    if (first !== undefined) {
      err(line, 'land_level', `${district} 第 ${level} 级与第 ${first} 行重复`, `${district} level ${level} repeats line ${first}`);
      return;
    }
    seen.set(key, line);
    rows.push({ districtCode: district, landLevel: level, yuanPerM2: Number(priceText) });
  });
  if (rows.length === 0 && errors.length === 0) {
    err(2, 'file', '文件没有数据行', 'The file has no data rows');
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
