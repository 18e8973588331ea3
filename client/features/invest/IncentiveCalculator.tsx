/**
 * The incentive calculator: the investor describes the project and sees, live, the "up to"
 * figure of every support item that applies — computed in the browser by `estimateIncentives`
 * from shared/policy/incentives.ts, the very function behind POST /api/quotes/incentives.
 */
import { useId, useMemo, useState } from 'react';
import { tryYuanToFen } from '../../../shared/money.ts';
import { estimateIncentives, RD_LEVELS, type IncentiveInputs, type RdLevel } from '../../../shared/policy/incentives.ts';
import { useT } from '../../i18n/useT.ts';
import { interpolate } from '../../ui/interpolate.tsx';
import { Money } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import type { MessageKey } from '../../i18n/zh.ts';

type MoneyKey = 'equipment' | 'loanInterest' | 'informatization' | 'majorProject' | 'techContract';
const MONEY_FIELDS: { key: MoneyKey; label: MessageKey; input: keyof IncentiveInputs; largeOnly?: boolean }[] = [
  { key: 'equipment', label: 'incentive.equipment', input: 'equipmentInvestmentFen', largeOnly: true },
  { key: 'loanInterest', label: 'incentive.loanInterest', input: 'loanInterestPerYearFen', largeOnly: true },
  { key: 'informatization', label: 'incentive.informatization', input: 'informatizationInvestmentFen' },
  { key: 'majorProject', label: 'incentive.majorProject', input: 'nationalMajorProjectFundsFen' },
  { key: 'techContract', label: 'incentive.techContract', input: 'technicalContractFen' },
];

export function IncentiveCalculator() {
  const { t, locale } = useT();
  const [sme, setSme] = useState(false);
  const [money, setMoney] = useState<Record<MoneyKey, string>>({ equipment: '', loanInterest: '', informatization: '', majorProject: '', techContract: '' });
  const [loanYears, setLoanYears] = useState('3');
  const [rd, setRd] = useState<RdLevel | ''>('');
  const [localConversion, setLocalConversion] = useState(false);
  const [drugs, setDrugs] = useState('');
  const baseId = useId();

  const { invalid, result } = useMemo(() => {
    const bad = new Set<MoneyKey>();
    const inputs: Record<string, unknown> = { sme, rdInstitutionLevel: rd || null, localConversion };
    for (const f of MONEY_FIELDS) {
      const raw = money[f.key].trim();
      if (!raw) continue;
      const r = tryYuanToFen(raw);
      if (!r.ok || r.fen < 0n) bad.add(f.key);
      else inputs[f.input] = r.fen;
    }
    const years = Number(loanYears);
    if (Number.isInteger(years) && years >= 1) inputs.loanInterestYears = years;
    const n = Number(drugs);
    if (drugs.trim() && Number.isInteger(n) && n >= 0) inputs.genericDrugsPassed = n;
    const r = estimateIncentives(inputs as unknown as IncentiveInputs);
    return { invalid: bad, result: r.ok ? r.items : [] };
  }, [sme, money, loanYears, rd, localConversion, drugs]);

  const total = result.filter((i) => i.id !== 'sme_subsidy').reduce((s, i) => s + i.upToFen, 0n);
  // The items and their total in one unit (万元, or 亿元 once one reaches 1 亿元); exact 元 on hover.
  const yuan = (fen: bigint) => Number(fen) / 100;
  const scale = moneyScale([...result.map((i) => yuan(i.upToFen)), yuan(total)], locale);
  const amount = (fen: bigint) => <Money yuan={yuan(fen)} scale={scale} />;

  return (
    <section className="sheet-section incentive" aria-labelledby={`${baseId}-title`} data-testid="incentive-calculator">
      <h2 id={`${baseId}-title`}>{t('incentive.title')}</h2>
      <p className="muted">{t('incentive.lead')}</p>
      <div className="incentive-grid">
        <form className="incentive-inputs" onSubmit={(e) => e.preventDefault()}>
          <label className="check">
            <input type="checkbox" checked={sme} onChange={(e) => setSme(e.target.checked)} data-testid="incentive-sme" />
            {t('incentive.sme')}
          </label>
          {MONEY_FIELDS.filter((f) => !(f.largeOnly && sme)).map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`${baseId}-${f.key}`}>{t(f.label)}</label>
              <input
                id={`${baseId}-${f.key}`}
                inputMode="decimal"
                value={money[f.key]}
                aria-invalid={invalid.has(f.key)}
                aria-describedby={invalid.has(f.key) ? `${baseId}-${f.key}-err` : undefined}
                onChange={(e) => setMoney((m) => ({ ...m, [f.key]: e.target.value }))}
                data-testid={`incentive-${f.key}`}
              />
              {invalid.has(f.key) && (
                <p id={`${baseId}-${f.key}-err`} className="field-error">
                  {t('incentive.invalid')}
                </p>
              )}
            </div>
          ))}
          {!sme && (
            <div className="field">
              <label htmlFor={`${baseId}-years`}>{t('incentive.loanYears')}</label>
              <select id={`${baseId}-years`} value={loanYears} onChange={(e) => setLoanYears(e.target.value)}>
                {[1, 2, 3].map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${baseId}-rd`}>{t('incentive.rdLevel')}</label>
            <select id={`${baseId}-rd`} value={rd} onChange={(e) => setRd(e.target.value as RdLevel | '')}>
              <option value="">{t('incentive.rd.none')}</option>
              {RD_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`incentive.rd.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${baseId}-drugs`}>{t('incentive.genericDrugs')}</label>
            <input id={`${baseId}-drugs`} type="number" min={0} step={1} inputMode="numeric" value={drugs} onChange={(e) => setDrugs(e.target.value)} />
          </div>
          <label className="check">
            <input type="checkbox" checked={localConversion} onChange={(e) => setLocalConversion(e.target.checked)} />
            {t('incentive.localConversion')}
          </label>
        </form>
        <div className="incentive-result" aria-live="polite" data-testid="incentive-result">
          <h3>{t('incentive.result')}</h3>
          {result.length === 0 ? (
            <p className="muted">{t('incentive.none')}</p>
          ) : (
            <>
              <ul className="incentive-items">
                {result.map((i) => (
                  <li key={i.id} data-testid={`incentive-item-${i.id}`}>
                    <span className="incentive-item-title">
                      {locale === 'en' ? i.titleEn : i.titleZh} <span className="muted">{i.clause}</span>
                    </span>
                    <span className="incentive-amount">{interpolate(t('incentive.upTo', { amount: '{amount}' }), { amount: amount(i.upToFen) })}</span>
                    <span className="incentive-basis muted">{locale === 'en' ? i.basisEn : i.basisZh}</span>
                  </li>
                ))}
              </ul>
              {sme && <p className="muted small">{t('incentive.smeAlternative')}</p>}
              <p className="incentive-total">
                <span>{t('incentive.total')}</span> <strong>{amount(total)}</strong>
              </p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
