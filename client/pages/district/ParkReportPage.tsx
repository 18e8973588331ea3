import { useT } from '../../i18n/useT.ts';

/** Placeholder: replaced by the screen's owner. */
export default function Page() {
  const { t } = useT();
  return <h1>{t('dashboard.title')}</h1>;
}
