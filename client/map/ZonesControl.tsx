/** The "显示生成区（样例）" switch of the map's layer controls (client/map/zones.ts). */
import { useT } from '../i18n/useT.ts';
import { setZonesShown, useZonesStore } from './zones.ts';

export function ZonesControl() {
  const { t } = useT();
  const on = useZonesStore((s) => s.on);
  return (
    <label className="hubs-toggle zones-toggle" title={t('map.showZonesHint')} data-testid="zones-toggle">
      <input type="checkbox" checked={on} onChange={(e) => setZonesShown(e.currentTarget.checked)} />
      {t('map.showZones')}
    </label>
  );
}
