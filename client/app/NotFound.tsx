import { Link } from 'wouter';
import { useT } from '../i18n/useT.ts';

export default function NotFound() {
  const { t } = useT();
  return (
    <div className="page-message">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link href="/" className="button">
          {t('notFound.back')}
        </Link>
      </p>
    </div>
  );
}
