/**
 * The review screens' charts as echarts options, built from the dashboard rows (pure: no echarts
 * runtime here, only its option types). Areas are in 亩 (the server's rounding), money in 万元
 * (zh) or millions of yuan (en), shares in %. The table beside each chart carries the same
 * figures as text — it is the chart's accessible alternative.
 */
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { DashboardPark } from '../../api/index.ts';
import { formatNumber, formatYuan } from '../../ui/format.ts';
import type { Locale, Translate } from '../../i18n/index.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { muHundredths, shareText } from './figures.ts';

export type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | MarkLineComponentOption>;

export const CHART_FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', system-ui, sans-serif";
export const SUBSIDY_COLORS = { granted: '#2f6db5', remaining: '#d5dee8' } as const;
export const SHARE_COLORS = { meets: '#2e9d5b', below: '#e3a21a', target: '#b42318' } as const;

/** "P06 黄埔智能装备" / "P06 Huangpu Intelligent Equipment": the park's name without the common suffix. */
export function shortParkName(p: Pick<DashboardPark, 'code' | 'nameZh' | 'nameEn'>, locale: Locale): string {
  const name = locale === 'en' ? p.nameEn.replace(/\s*Value[- ]Innovation Park$/i, '') : p.nameZh.replace(/价值创新园(区)?$/, '');
  return `${p.code} ${name || (locale === 'en' ? p.nameEn : p.nameZh)}`;
}

/** Pixel height for a horizontal bar chart of `n` parks. */
export function chartHeight(n: number): number {
  return Math.max(160, 64 + n * 34);
}

const mu = (m2: number) => Number(muHundredths(m2)) / 100;
/** Yuan → 万元 (zh) or millions of yuan (en), 2 decimals, for an axis. */
const moneyScale = (locale: Locale) => (locale === 'en' ? 1_000_000 : 10_000);
const scaled = (yuan: number, locale: Locale) => Math.round((yuan / moneyScale(locale)) * 100) / 100;

function base(rows: readonly DashboardPark[], locale: Locale): Pick<ChartOption, 'textStyle' | 'grid' | 'yAxis' | 'animation'> {
  return {
    animation: false,
    textStyle: { fontFamily: CHART_FONT },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    // Park names top to bottom in table order (a category axis counts upward, so reverse it).
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => shortParkName(r, locale)),
      axisLabel: { width: 180, overflow: 'truncate', color: '#1f2d3d' },
      axisTick: { show: false },
    },
  };
}

/** Land by status per park: stacked bars of available / held / allocated / withdrawn, in 亩. */
export function landChartOption(rows: readonly DashboardPark[], t: Translate, locale: Locale): ChartOption {
  const statuses = [
    { key: 'available', m2: (r: DashboardPark) => r.availableAreaM2 },
    { key: 'held', m2: (r: DashboardPark) => r.heldAreaM2 },
    { key: 'allocated', m2: (r: DashboardPark) => r.allocatedAreaM2 },
    { key: 'withdrawn', m2: (r: DashboardPark) => r.withdrawnAreaM2 },
  ] as const;
  return {
    ...base(rows, locale),
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => `${typeof v === 'number' ? formatNumber(v, locale, 2, 2) : String(v)} ${t('dashboard.unit.mu')}`,
    },
    xAxis: { type: 'value', splitNumber: 4, axisLabel: { color: '#4a5868', hideOverlap: true } },
    series: statuses.map((s) => ({
      type: 'bar',
      name: t(`status.${s.key}`),
      stack: 'land',
      barMaxWidth: 22,
      itemStyle: { color: STATUS_COLORS[s.key] },
      emphasis: { focus: 'series' },
      data: rows.map((r) => mu(s.m2(r))),
    })),
  };
}

/** Subsidy used against the cap per park: granted + headroom = cap, in 万元 (or ¥ millions). */
export function subsidyChartOption(rows: readonly DashboardPark[], t: Translate, locale: Locale): ChartOption {
  const back = (v: unknown) => (typeof v === 'number' ? formatYuan(v * moneyScale(locale), locale) : String(v));
  const parts = [
    { key: 'granted', label: t('dashboard.col.subsidyGranted'), yuan: (r: DashboardPark) => r.subsidy.grantedYuan },
    { key: 'remaining', label: t('dashboard.col.subsidyRemaining'), yuan: (r: DashboardPark) => r.subsidy.remainingYuan },
  ] as const;
  return {
    ...base(rows, locale),
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: back },
    xAxis: { type: 'value', splitNumber: 4, axisLabel: { color: '#4a5868', hideOverlap: true } },
    series: parts.map((p) => ({
      type: 'bar',
      name: p.label,
      stack: 'subsidy',
      barMaxWidth: 22,
      itemStyle: { color: SUBSIDY_COLORS[p.key] },
      data: rows.map((r) => scaled(p.yuan(r), locale)),
    })),
  };
}

/**
 * Lead-sector share of allocated land per park against the target (a red line at 80 %). A park
 * with nothing allocated has no bar (its table cell says so).
 */
export function leadShareChartOption(rows: readonly DashboardPark[], target: number, t: Translate, locale: Locale): ChartOption {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    ...base(rows, locale),
    legend: { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (typeof v === 'number' ? `${shareText(v / 100)}` : t('dashboard.noAllocations')),
    },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: '#4a5868', formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: t('dashboard.col.leadShare'),
        barMaxWidth: 18,
        data: rows.map((r) => {
          const s = r.leadSectorShare.share;
          if (s === null) return { value: null as unknown as number };
          return { value: pct(s), itemStyle: { color: r.leadSectorShare.meetsTarget ? SHARE_COLORS.meets : SHARE_COLORS.below } };
        }),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: SHARE_COLORS.target, type: 'dashed', width: 1.5 },
          label: { formatter: t('dashboard.chart.target', { pct: shareText(target) ?? '' }), color: SHARE_COLORS.target, position: 'start' },
          data: [{ xAxis: pct(target) }],
        },
      },
    ],
  };
}
