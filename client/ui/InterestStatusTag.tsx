import type { InterestStatus } from '../api/index.ts';
import { useT } from '../i18n/useT.ts';

/** An interest's status as a coloured tag (text, never colour alone). */
export function InterestStatusTag({ status }: { status: InterestStatus }) {
  const { t } = useT();
  return (
    <span className={`tag tag--status tag--${status}`} data-testid="interest-status">
      {t(`interestStatus.${status}`)}
    </span>
  );
}
