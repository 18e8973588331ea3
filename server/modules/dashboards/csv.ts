/**
 * The dashboard tables as CSV downloads (district dashboard and city overview): UTF-8 with a BOM,
 * CRLF, Chinese and English headers, areas in 亩 and money in yuan as plain text Excel reads as
 * numbers; and the download's file names.
 */
import Papa from 'papaparse';
import { fenToYuanString, formatScaled, yuanToFen } from '../../../shared/money.ts';
import { m2ToHundredths } from '../../../shared/units.ts';
import type { ParkTier, Sector } from '../../../shared/domain.ts';
import { muHundredths, type DashboardParkRow } from './service.ts';

const TIER_ZH: Record<ParkTier, string> = { core: '核心园区', equal_policy: '同等政策园区', recognized: '认定园区', zone: '生成区（样例）' };
const SECTOR_ZH: Record<Sector, string> = { ngit: '新一代信息技术', ai: '人工智能', biomed: '生物医药' };

/** Areas in 亩 with 2 decimals, money in yuan with 2 decimals, shares in %: plain text Excel reads as numbers. */
const muText = (m2: number) => formatScaled(muHundredths(m2ToHundredths(m2)), 2, false);
const yuanText = (yuan: number) => fenToYuanString(yuanToFen(yuan));
const shareText = (s: number | null) => (s === null ? '' : `${(s * 100).toFixed(2)}%`);

type CsvRow = Pick<DashboardParkRow, 'totalAreaM2' | 'availableAreaM2' | 'heldAreaM2' | 'allocatedAreaM2' | 'quotaChargedM2' | 'subsidy' | 'projectsSigned' | 'projectsLanded' | 'leadSectorShare' | 'overdueMilestones'> & {
  plotCounts: { total: number; available: number; held: number; allocated: number; withdrawn: number };
};

function csvLine(r: CsvRow) {
  return [
    muText(r.totalAreaM2), muText(r.availableAreaM2), muText(r.heldAreaM2), muText(r.allocatedAreaM2),
    r.plotCounts.total, r.plotCounts.available, r.plotCounts.held, r.plotCounts.allocated, r.plotCounts.withdrawn,
    muText(r.quotaChargedM2),
    yuanText(r.subsidy.grantedYuan), yuanText(r.subsidy.capYuan), yuanText(r.subsidy.remainingYuan),
    r.projectsSigned, r.projectsLanded,
    muText(r.leadSectorShare.allocatedAreaM2), muText(r.leadSectorShare.leadSectorAreaM2), shareText(r.leadSectorShare.share), shareText(r.leadSectorShare.target),
    r.overdueMilestones,
  ];
}

/** The dashboard table as CSV: UTF-8 with a BOM (so Excel reads Chinese), CRLF, Chinese and English headers. */
export function dashboardCsv(d: { year: number; parks: DashboardParkRow[]; totals: CsvRow }): string {
  const fields = [
    '园区编号 Park code', '园区名称 Park name', 'Park name (English)', '所属区 District', '类别 Tier', '主导产业 Lead sectors', '认定年份 Recognized',
    '总面积（亩） Total area (mu)', '可供面积（亩） Available (mu)', '预留面积（亩） Held (mu)', '已供面积（亩） Allocated (mu)',
    '地块数 Plots', '可供地块 Plots available', '预留地块 Plots held', '已供地块 Plots allocated', '收回地块 Plots withdrawn',
    `${d.year}年指标使用（亩） Quota charged ${d.year} (mu)`,
    '已补助（元） Subsidy granted (yuan)', '补助上限（元） Subsidy cap (yuan)', '剩余额度（元） Subsidy remaining (yuan)',
    '签约项目 Projects signed', '落地项目 Projects landed',
    '已供用地（亩） Allocated land (mu)', '主导产业用地（亩） Lead-sector land (mu)', '主导产业占比 Lead-sector share', '局内设定目标（非行动计划） Bureau setting (not in the plan)',
    '逾期未开工 Overdue starts',
  ];
  const data = d.parks.map((p) => [
    p.code, p.nameZh, p.nameEn, p.districtCode, `${TIER_ZH[p.tier]} ${p.tier}`, p.sectors.map((s) => `${SECTOR_ZH[s]} ${s}`).join('; '), p.recognizedYear,
    ...csvLine(p),
  ]);
  data.push(['合计 Total', '', '', '', '', '', '', ...csvLine(d.totals)]);
  return `\uFEFF${Papa.unparse({ fields, data }, { newline: '\r\n', escapeFormulae: true })}\r\n`;
}

/** `Content-Disposition` for a download: an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
export function attachment(asciiName: string, utf8Name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(utf8Name)}`;
}

type ReportFiguresRow = import('../../../shared/contract/monitoring.ts').MonitoringReport['totals'];

function reportLine(r: Omit<ReportFiguresRow, 'parks'>) {
  return [
    muText(r.land.availableAreaM2), muText(r.land.allocatedAreaM2),
    r.projectsSigned, r.projectsLanded,
    r.idle.count, muText(r.idle.areaM2), yuanText(r.idle.feesDecidedYuan), r.idle.byStage.overdue, r.idle.byStage.government_delay,
    r.evaluated, r.grades.A, r.grades.B, r.grades.C, r.grades.D, r.conditionsUnmet,
    r.inspections.open, r.inspections.openedInYear, r.inspections.closedInYear,
  ];
}

/** The yearly monitoring report as CSV: one line per park and the total; UTF-8 with a BOM, CRLF. */
export function reportCsv(d: import('../../../shared/contract/monitoring.ts').MonitoringReport): string {
  const fields = [
    '园区编号 Park code', '园区名称 Park name', 'Park name (English)', '所属区 District', '示例数据 Sample',
    '剩余可供用地（亩） Land left (mu)', '已供用地（亩） Land allocated (mu)',
    '签约项目 Projects signed', '落地项目 Projects landed',
    '闲置土地（宗） Idle land (count)', '闲置土地（亩） Idle land (mu)', '已决定闲置费（元） Idle fees decided (yuan)', '逾期未动工预警 Overdue warnings', '政府原因延期 Government delays',
    `${d.year}年参评项目 Evaluated ${d.year}`, 'A类 Grade A', 'B类 Grade B', 'C类 Grade C', 'D类 Grade D', '标准地条件未达标 Conditions unmet',
    '在办核查 Inspections open', `${d.year}年发起核查 Opened ${d.year}`, `${d.year}年办结核查 Closed ${d.year}`,
  ];
  const data: unknown[][] = d.parks.map((p) => [p.code, p.nameZh, p.nameEn, p.districtCode, p.sample ? '是 yes' : '', ...reportLine(p)]);
  data.push(['合计 Total', d.scope.nameZh, d.scope.nameEn, d.scope.districtCode ?? '', d.sample ? '是 yes' : '', ...reportLine(d.totals)]);
  const t = d.thresholds;
  const note = [
    `监测年度 Year ${d.year}; 闲置认定日 Idle judged on ${d.asOf}`,
    t ? `评价阈值版本 Thresholds version ${t.versionId} (${t.effectiveFrom})${t.sample ? ' 示例阈值 SAMPLE thresholds' : ''}` : '无评价阈值 No thresholds',
  ];
  data.push([note.join('; ')]);
  return `\uFEFF${Papa.unparse({ fields, data }, { newline: '\r\n', escapeFormulae: true })}\r\n`;
}
