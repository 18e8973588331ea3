/**
 * The 监管协议 of an allocation (bureau allocation detail): the plot's 标准地 conditions as frozen
 * at approval, and the agreed dates once the contract is recorded. Later edits of the plot do not
 * reach it (the server copies the conditions once; the database refuses a change).
 */
import type { Agreement } from '../../../shared/contract/supervision.ts';
import { formatDate } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import { ConditionsFacts } from './ConditionsFacts.tsx';

export function AgreementView({ agreement }: { agreement: Agreement | null }) {
  const { t, locale } = useT();
  if (!agreement) {
    return (
      <section data-testid="agreement-view">
        <h3 className="section-title">{t('conditions.agreement.title')}</h3>
        <p className="muted">{t('conditions.agreement.none')}</p>
      </section>
    );
  }
  const date = (d: string | null) => (d === null ? <span className="muted">{t('conditions.agreement.datesPending')}</span> : formatDate(d, locale));
  return (
    <section data-testid="agreement-view">
      <h3 className="section-title">{t('conditions.agreement.title')}</h3>
      <p className="muted small">{t('conditions.agreement.frozenAt', { date: formatDate(agreement.frozenAt, locale, true) })}</p>
      <Facts>
        <Fact label={t('conditions.agreement.handover')}>{date(agreement.agreedHandoverOn)}</Fact>
        <Fact label={t('conditions.agreement.start')}>{date(agreement.agreedStartOn)}</Fact>
        <Fact label={t('conditions.agreement.completion')}>{date(agreement.agreedCompletionOn)}</Fact>
      </Facts>
      <ConditionsFacts conditions={agreement.conditions} testId="agreement-conditions" />
    </section>
  );
}
