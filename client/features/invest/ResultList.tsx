/**
 * The result list, virtualized (@tanstack/react-virtual): only the rows on screen are in the
 * DOM, so a list of thousands stays smooth; the next page loads as the end comes into view.
 * Hovering or focusing a row lights its plot on the map; the map's hover lights the row.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import type { SearchItem } from '../../api/index.ts';
import { formatMu, formatNumber } from '../../ui/format.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { SECTOR_COLORS } from '../../map/palette.ts';
import { addToCompare, COMPARE_MAX, removeFromCompare, useCompareStore } from './compareStore.ts';
import { setHoveredResult, useInvestSearchStore } from './store.ts';
import { useSelectionStore } from '../../stores/selection.ts';

const ROW_HEIGHT = 84;

export function ResultList({ items, total, onEndReached }: { items: readonly SearchItem[]; total: number; onEndReached: () => void }) {
  const { t } = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const hoveredId = useInvestSearchStore((s) => s.hoveredId);
  const selected = useSelectionStore((s) => (s.selection?.kind === 'plot' ? s.selection.id : null));
  const compare = useCompareStore((s) => s.codes);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems[virtualItems.length - 1];

  useEffect(() => {
    if (last && last.index >= items.length - 10 && items.length < total) onEndReached();
  }, [last, items.length, total, onEndReached]);

  // A plot picked on the map: bring its row into view.
  useEffect(() => {
    if (selected === null) return;
    const index = items.findIndex((i) => i.id === selected);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selected, items, virtualizer]);

  return (
    <div ref={scroller} className="result-scroll" data-testid="result-list">
      <ul className="result-list" style={{ height: virtualizer.getTotalSize() }} aria-label={t('invest.results')}>
        {virtualItems.map((v) => {
          const item = items[v.index]!;
          const inCompare = compare.includes(item.code);
          return (
            <li
              key={item.id}
              className={`result${hoveredId === item.id ? ' is-hovered' : ''}${selected === item.id ? ' is-selected' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              data-testid="result-row"
              data-code={item.code}
              onMouseEnter={() => setHoveredResult(item.id)}
              onMouseLeave={() => setHoveredResult(null)}
              onFocus={() => setHoveredResult(item.id)}
              onBlur={() => setHoveredResult(null)}
            >
              <ResultRow item={item} />
              <button
                type="button"
                className={`compare-toggle${inCompare ? ' is-on' : ''}`}
                aria-pressed={inCompare}
                disabled={!inCompare && compare.length >= COMPARE_MAX}
                title={inCompare ? t('sheet.inCompare') : compare.length >= COMPARE_MAX ? t('sheet.compareFull') : t('sheet.addCompare')}
                onClick={() => (inCompare ? removeFromCompare(item.code) : addToCompare(item.code))}
              >
                <span className="visually-hidden">{`${t('sheet.addCompare')} ${item.code}`}</span>
                <svg viewBox="0 0 20 20" aria-hidden="true">
                  <path d={inCompare ? 'M5 10l3.5 3.5L15 7' : 'M10 5v10M5 10h10'} />
                </svg>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ResultRow({ item }: { item: SearchItem }) {
  const { t, locale } = useT();
  return (
    <Link href={`/plots/${encodeURIComponent(item.code)}`} className="result-link" title={t('invest.open', { code: item.code })}>
      <span className="result-top">
        <span className="result-code">{item.code}</span>
        <span className="result-price">
          {item.floorYuanPerM2 === null ? t('invest.noFloor') : t('invest.floorPerM2', { value: formatNumber(item.floorYuanPerM2, locale, 0) })}
        </span>
      </span>
      <span className="result-park">
        {item.sectors.map((s) => (
          <span key={s} className="dot" style={{ background: SECTOR_COLORS[s] }} aria-hidden="true" />
        ))}
        {localName(locale, { nameZh: item.parkNameZh, nameEn: item.parkNameEn })}
      </span>
      <span className="result-meta">
        <span>{formatMu(item.areaM2, locale)}</span>
        <span>{item.landUse}</span>
        <span>{locale === 'en' ? item.districtNameEn : item.districtNameZh}</span>
        {item.sample && <span className="tag tag--sample">{t('sheet.sample')}</span>}
      </span>
    </Link>
  );
}
