/**
 * The terms of a proposed allocation, as the bureau's one-step proposals ask them (the interest
 * queue's "turn into a proposal" and a demand's "propose"): supply mode, term, quota year and the
 * price, which starts at the floor in force for these terms (the bureau sees the full floor). A
 * rent's floor is a share of the statutory-term land price floor; a transfer's is for its own term.
 * `useProposalTerms` holds the state and builds the request's terms; `ProposalTermsFields` draws them.
 */
import { useEffect, useState } from 'react';
import type { SupplyMode } from '../../../shared/supply-modes.ts';
import { DEFAULT_PARAMETERS, floorChecksFor, termRule } from '../../../shared/policy/index.ts';
import { bureauYear } from '../../../shared/dates.ts';
import { floorApi } from '../../api/index.ts';
import { formatYuan } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';

/** The mode's terms (the parameters shipped; the server checks with those in force). */
const rule = (mode: SupplyMode) => termRule(mode, DEFAULT_PARAMETERS);

export function useProposalTerms(plotId: number, iab: boolean, firstMode: SupplyMode) {
  const [mode, setModeOnly] = useState<SupplyMode>(firstMode);
  const [termYears, setTermYearsOnly] = useState(rule(firstMode).term.default);
  const [price, setPrice] = useState('');
  const [floor, setFloor] = useState<number | null>(null);
  const [quotaYear, setQuotaYear] = useState(bureauYear());
  const rentBased = floorChecksFor(mode).checks.some((c) => c.floor === 'rent');
  const floorTerm = rentBased ? DEFAULT_PARAMETERS.statutoryMaxTermYears : termYears;
  const terms = rule(mode);

  useEffect(() => {
    const ctrl = new AbortController();
    floorApi.forPlot(plotId, { iab, termYears: floorTerm }, ctrl.signal).then(
      (q) => {
        setFloor(q.floorYuan);
        setPrice((p) => p || String(q.floorYuan));
      },
      () => setFloor(null),
    );
    return () => ctrl.abort();
  }, [plotId, iab, floorTerm]);

  return {
    mode, termYears, price, floor, quotaYear, terms, setPrice, setQuotaYear,
    /** A new mode starts from its default term and the floor for it. */
    setMode: (m: SupplyMode) => { setModeOnly(m); setTermYearsOnly(rule(m).term.default); setPrice(''); },
    setTermYears: (n: number) => { setTermYearsOnly(n); setPrice(''); },
    /** The request's terms: mode, term, year, price, and a lease-then-transfer's lease and rent. */
    body: () => ({
      quotaYear,
      mode,
      termYears,
      ...(terms.lease && terms.totalMax !== null
        ? { leaseYears: Math.max(terms.lease.min, Math.min(terms.lease.max, terms.totalMax - termYears)), annualRentYuan: Math.ceil(((floor ?? 0) * DEFAULT_PARAMETERS.rentFloorShareBp) / 100) / 100 }
        : {}),
      priceYuan: Number(price),
    }),
  };
}

export type ProposalTerms = ReturnType<typeof useProposalTerms>;

export function ProposalTermsFields({ p, modes, base, testIds = {} }: { p: ProposalTerms; modes: readonly SupplyMode[]; base: string; testIds?: { mode?: string; price?: string; floor?: string } }) {
  const { t, locale } = useT();
  return (
    <>
      <div className="field">
        <label htmlFor={`${base}-mode`}>{t('queue.mode')}</label>
        <select id={`${base}-mode`} value={p.mode} onChange={(e) => p.setMode(e.target.value as SupplyMode)} data-testid={testIds.mode}>
          {modes.map((m) => (
            <option key={m} value={m}>
              {t(`supplyMode.${m}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${base}-term`}>{t('queue.termYears')}</label>
        <input id={`${base}-term`} type="number" min={p.terms.term.min} max={p.terms.term.max} value={p.termYears} disabled={p.terms.termFixed} onChange={(e) => p.setTermYears(Number(e.target.value))} />
      </div>
      <div className="field">
        <label htmlFor={`${base}-year`}>{t('queue.quotaYear')}</label>
        <input id={`${base}-year`} type="number" min={2000} max={2100} value={p.quotaYear} onChange={(e) => p.setQuotaYear(Number(e.target.value))} />
      </div>
      <div className="field field--wide">
        <label htmlFor={`${base}-price`}>{t('queue.price')}</label>
        <input id={`${base}-price`} inputMode="decimal" required value={p.price} onChange={(e) => p.setPrice(e.target.value)} aria-describedby={`${base}-price-hint`} data-testid={testIds.price} />
        <p id={`${base}-price-hint`} className="field-hint" data-testid={testIds.floor}>
          {p.floor !== null ? t('queue.priceHint', { floor: formatYuan(p.floor, locale) }) : '\u00a0'}
        </p>
      </div>
    </>
  );
}
