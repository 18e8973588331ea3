/**
 * A SAMPLE industrial benchmark land price table (基准地价, B in 五(三)14), yuan per m² of
 * land, by district × land level (土地级别 1 = best … 5). Guangzhou's official table was not
 * available: these are plausible values only, every row is flagged `sample: true`, and the
 * UI must say "sample" wherever one is shown. The bureau imports the official table.
 */
import type { DistrictCode } from '../domain.ts';

export const BENCHMARK_LEVELS = [1, 2, 3, 4, 5] as const;
export type BenchmarkLevel = (typeof BENCHMARK_LEVELS)[number];

export interface BenchmarkPrice {
  readonly districtCode: DistrictCode;
  readonly level: BenchmarkLevel;
  /** Industrial benchmark land price, yuan/m², 50-year term. */
  readonly yuanPerM2: number;
  /** Always true here: not official data. */
  readonly sample: true;
}

/** Yuan/m² for levels 1..5 per district: higher in urban districts, falling with the level. */
const SAMPLE_BY_DISTRICT: Record<DistrictCode, readonly [number, number, number, number, number]> = {
  '440104': [1500, 1280, 1080, 900, 760], // 越秀
  '440106': [1450, 1240, 1050, 880, 740], // 天河
  '440105': [1350, 1150, 970, 820, 690], // 海珠
  '440103': [1250, 1060, 900, 760, 640], // 荔湾
  '440112': [1100, 940, 800, 680, 570], // 黄埔
  '440111': [1050, 900, 760, 640, 540], // 白云
  '440113': [950, 810, 690, 580, 490], // 番禺
  '440115': [800, 680, 580, 490, 410], // 南沙
  '440114': [750, 640, 540, 460, 390], // 花都
  '440118': [650, 550, 470, 400, 340], // 增城
  '440117': [550, 470, 400, 340, 280], // 从化
};

/** 五(三)14: the sample benchmark table, one row per district × level, all `sample: true`. */
export const BENCHMARK_SAMPLE: readonly BenchmarkPrice[] = Object.entries(SAMPLE_BY_DISTRICT).flatMap(
  ([districtCode, prices]) =>
    BENCHMARK_LEVELS.map((level) => ({
      districtCode: districtCode as DistrictCode,
      level,
      yuanPerM2: prices[level - 1] as number,
      sample: true as const,
    })),
);

/** 五(三)14: the sample benchmark price (yuan/m²) for a district and land level. */
export function sampleBenchmark(districtCode: DistrictCode, level: BenchmarkLevel): BenchmarkPrice {
  const row = BENCHMARK_SAMPLE.find((b) => b.districtCode === districtCode && b.level === level);
  if (!row) throw new RangeError(`no sample benchmark for ${districtCode} level ${level}`);
  return row;
}
