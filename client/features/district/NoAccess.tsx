import { Link } from 'wouter';
import { NoAccess } from '../../ui/AccessGate.tsx';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';

/** NoAccess for a district's dashboard or a park's report outside the user's reach, with a link to their own district. */
export function NotYourDistrict({ message }: { message: string }) {
  const { t } = useT();
  const ownDistrict = useSessionStore((s) => s.user?.districtCode);
  return (
    <NoAccess message={message}>
      {ownDistrict && (
        <Link href={`/district/${ownDistrict}`} className="button" data-testid="own-district-link">
          {t('dashboard.ownDistrict')}
        </Link>
      )}
    </NoAccess>
  );
}
