/** An amount in a shared scale (./money.ts) with the exact 元 on hover. */
import { useT } from '../i18n/useT.ts';
import { exactYuan, formatYuanIn, type MoneyScale } from './money.ts';

export function Money({ yuan, scale, testId }: { yuan: number; scale: MoneyScale; testId?: string }) {
  const { t, locale } = useT();
  return (
    <span className="money" title={t('money.exact', { value: exactYuan(yuan, locale) })} data-testid={testId}>
      {formatYuanIn(yuan, scale, locale)}
    </span>
  );
}
