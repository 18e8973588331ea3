/** Small pieces shared by the bureau's panels: status tags, areas in 亩 and m², problems in words. */
import { useCallback } from 'react';
import type { AllocationStatus } from '../../api/index.ts';
import { formatM2, formatMu, formatYuan } from '../../ui/format.ts';
import { formatYuanIn, type MoneyScale } from '../../ui/money.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import type { FormProblem } from './allocationForm.ts';
import { ruleRefusal } from './serverError.ts';

export function AllocationStatusTag({ status }: { status: AllocationStatus }) {
  const { t } = useT();
  return (
    <span className={`tag bu-status bu-status--${status}`} data-testid="allocation-status" data-status={status}>
      {t(`allocations.status.${status}`)}
    </span>
  );
}

/** 绿色通道 (五(三)12): a core park or a key IAB project. */
export function GreenTag() {
  const { t } = useT();
  return (
    <span className="tag tag--ok bu-tag--green" title={t('allocations.greenTitle')} data-testid="green-channel">
      {t('allocations.green')}
    </span>
  );
}

/** "12.35 亩" with the m² beside it, smaller. */
export function Area({ m2, block = false }: { m2: number; block?: boolean }) {
  const { locale } = useT();
  return (
    <span className={`bu-area${block ? ' bu-area--block' : ''}`}>
      <span className="bu-area-mu">{formatMu(m2, locale)}</span> <span className="bu-area-m2">{formatM2(m2, locale)}</span>
    </span>
  );
}

/**
 * Money, compact (万元 / 亿元) with the exact yuan in the tooltip; with `scale`, in that unit — the
 * one shared by a column (client/ui/money.ts), so a list does not mix 万元 and 亿元.
 */
export function Money({ yuan, scale }: { yuan: number; scale?: MoneyScale }) {
  const { t, locale } = useT();
  return (
    <span title={t('allocations.exactYuan', { value: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(yuan) })} data-exact-yuan={yuan}>
      {scale ? formatYuanIn(yuan, scale, locale) : formatYuan(yuan, locale)}
    </span>
  );
}

/** A form problem in the interface language. */
export function useFormProblemText(): (p: FormProblem | undefined) => string | null {
  const { t, locale } = useT();
  return useCallback(
    (p: FormProblem | undefined) => {
      if (!p) return null;
      if (p.code === 'shared') return locale === 'zh-CN' ? p.messageZh : p.messageEn;
      return t(`allocations.problem.${p.code}`, p.vars);
    },
    [t, locale],
  );
}

/**
 * A server error in words: the rule's own message with its figures when there is one
 * (QUOTA_EXCEEDED, BELOW_PRICE_FLOOR, PLOT_UNAVAILABLE…), "set the year's quota first" for a
 * year without one, else the generic text.
 */
export function useAllocationErrorText(): (e: unknown) => string {
  const { t, locale } = useT();
  const generic = useErrorText();
  return useCallback(
    (e: unknown) => {
      const r = ruleRefusal(e, locale);
      if (r?.kind === 'quotaNotSet') return r.year === null ? t('allocations.quota.notSetShort') : t('allocations.quota.notSetYear', { year: r.year });
      if (r?.kind === 'message') return r.text;
      return generic(e);
    },
    [t, locale, generic],
  );
}
