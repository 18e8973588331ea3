/**
 * `GET /api/demands/overview`: demand against supply (随用随供), per sector × district asked for.
 *
 * Over the open and matched demands (as read: closed and satisfied ones are done):
 * - a row per sector and district a demand asks for (`requirements.districtCodes`); a demand
 *   naming no district counts in the row `districtCode: null` (anywhere in the city), one naming
 *   several counts in each;
 * - 亩 needed: Σ areaMuMin and Σ areaMuMax of the row's demands;
 * - supply that fits: the distinct available plots meeting every hard requirement of at least
 *   one of the row's demands (the siting engine's `candidatePlots`), in the row's district
 *   (anywhere for the null row), and their 亩;
 * - unmet: the row's open demands with no such plot (a matched demand has its plot held or
 *   proposed, so it is not unmet), and Σ their areaMuMin;
 * - totals over the distinct demands (unmet: no fitting plot in any district it asks for);
 * - the ten longest waiting.
 *
 * A district officer sees the rows of their district and the demands concerning it; the supply
 * counted for them is their district's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import type { Demand, DemandOverview, DemandSupplyRow } from '../../../shared/contract/demands.ts';
import { PROJECT_SECTORS } from '../../../shared/domain.ts';
import { districtScope } from '../auth/scope.ts';
import { candidatePlots } from '../siting/service.ts';
import { activeDemands } from './repository.ts';

/** 1 亩 = 2000/3 m². */
const M2_PER_MU = 2000 / 3;
const round2 = (n: number) => Math.round(n * 100) / 100;

type Candidate = { plotId: number; areaM2: number; districtCode: string };

export async function demandOverview(db: Kysely<Database>, caller: Caller): Promise<DemandOverview> {
  const scope = districtScope(caller.user);
  const demands = await activeDemands(db, scope);
  const own = scope.kind === 'district' ? scope.code : null;

  // Fitting plots per demand (requirements without weights or limit: only the hard ones matter).
  const cache = new Map<string, Candidate[]>();
  const fits = new Map<number, Candidate[]>();
  for (const d of demands) {
    const { weights: _weights, ...hard } = d.requirements;
    const key = JSON.stringify(hard);
    let plots = cache.get(key);
    if (!plots) {
      plots = (await candidatePlots(db, hard)).map((p) => ({ plotId: p.plotId, areaM2: p.areaM2, districtCode: p.districtCode }));
      cache.set(key, plots);
    }
    fits.set(d.id, own ? plots.filter((p) => p.districtCode === own) : plots);
  }

  interface Acc {
    sector: Demand['sector'];
    districtCode: string | null;
    demands: Demand[];
    plots: Map<number, number>;
    unmet: Demand[];
  }
  const rows = new Map<string, Acc>();
  for (const d of demands) {
    const asked = d.requirements.districtCodes?.length ? d.requirements.districtCodes : [null];
    for (const district of asked) {
      if (own && district !== own) continue;
      const key = `${d.sector}|${district ?? ''}`;
      let acc = rows.get(key);
      if (!acc) rows.set(key, (acc = { sector: d.sector, districtCode: district, demands: [], plots: new Map(), unmet: [] }));
      acc.demands.push(d);
      const here = fits.get(d.id)!.filter((p) => district === null || p.districtCode === district);
      for (const p of here) acc.plots.set(p.plotId, p.areaM2);
      if (d.status === 'open' && here.length === 0) acc.unmet.push(d);
    }
  }

  const sectorOrder = (s: string) => (PROJECT_SECTORS as readonly string[]).indexOf(s);
  const out: DemandSupplyRow[] = [...rows.values()]
    .sort((a, b) => sectorOrder(a.sector) - sectorOrder(b.sector) || (a.districtCode ?? '').localeCompare(b.districtCode ?? ''))
    .map((a) => ({
      sector: a.sector,
      districtCode: a.districtCode,
      demands: a.demands.length,
      muNeededMin: round2(a.demands.reduce((s, d) => s + d.requirements.areaMuMin, 0)),
      muNeededMax: round2(a.demands.reduce((s, d) => s + d.requirements.areaMuMax, 0)),
      fittingPlots: a.plots.size,
      muFitting: round2([...a.plots.values()].reduce((s, m2) => s + m2, 0) / M2_PER_MU),
      unmetDemands: a.unmet.length,
      unmetMu: round2(a.unmet.reduce((s, d) => s + d.requirements.areaMuMin, 0)),
    }));

  const unmet = demands.filter((d) => d.status === 'open' && fits.get(d.id)!.length === 0);
  return {
    rows: out,
    totals: {
      demands: demands.length,
      muNeededMin: round2(demands.reduce((s, d) => s + d.requirements.areaMuMin, 0)),
      unmetDemands: unmet.length,
      unmetMu: round2(unmet.reduce((s, d) => s + d.requirements.areaMuMin, 0)),
    },
    longestWaiting: [...demands].sort((a, b) => b.waitingDays - a.waitingDays || a.id - b.id).slice(0, 10),
    asOf: new Date().toISOString(),
  };
}
