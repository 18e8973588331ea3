/**
 * An amount in a shared scale (./money.ts) with the exact 元 on hover. `bare`: the figure alone,
 * where the column heading or the label next to it names the unit (`scaleUnit`).
 */
import { useT } from '../i18n/useT.ts';
import { exactYuan, formatYuanIn, formatYuanNumber, type MoneyScale } from './money.ts';

export function Money({ yuan, scale, testId, bare = false, className }: { yuan: number; scale: MoneyScale; testId?: string; bare?: boolean; className?: string }) {
  const { t, locale } = useT();
  return (
    <span className={className ? `money ${className}` : 'money'} title={t('money.exact', { value: exactYuan(yuan, locale) })} data-testid={testId} data-exact-yuan={yuan}>
      {bare ? formatYuanNumber(yuan, scale) : formatYuanIn(yuan, scale, locale)}
    </span>
  );
}
