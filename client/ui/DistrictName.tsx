import type { DistrictNames } from './useDistrictNames.ts';
import { localName } from '../i18n/index.ts';
import { useT } from '../i18n/useT.ts';

/** A district by code: its name in the interface language once the names are loaded, else the code. */
export function DistrictName({ code, districts }: { code: string | null; districts: DistrictNames | null }) {
  const { t, locale } = useT();
  if (!code) return <span className="muted">{t('value.none')}</span>;
  const d = districts?.get(code);
  return <>{d ? localName(locale, d) : code}</>;
}
