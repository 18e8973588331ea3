/** 底图 switch: none / 矢量 / 影像 (天地图) or the city's base, as the server configured them. */
import { useState } from 'react';
import type { BasemapInfo } from '../api/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useT } from '../i18n/useT.ts';
import { initialBase, showBase } from './basemap.ts';
import type { MaplibreMap } from './maplibre.ts';

const NAMES: Record<string, MessageKey> = { vector: 'basemap.vector', imagery: 'basemap.imagery', custom: 'basemap.custom' };

export function BasemapSwitch({ map, info }: { map: MaplibreMap; info: BasemapInfo }) {
  const { t } = useT();
  const [current, setCurrent] = useState<string | null>(() => initialBase(info));
  const options: { id: string | null; label: string }[] = [
    { id: null, label: t('basemap.none') },
    ...info.bases.map((b) => ({ id: b.id, label: NAMES[b.id] ? t(NAMES[b.id]!) : b.id })),
  ];
  return (
    <div className="basemap-switch" role="group" aria-label={t('basemap.label')} data-testid="basemap-switch">
      {options.map((o) => (
        <button
          key={o.id ?? 'none'}
          type="button"
          aria-pressed={current === o.id}
          onClick={() => {
            showBase(map, info, o.id, true);
            setCurrent(o.id);
          }}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
