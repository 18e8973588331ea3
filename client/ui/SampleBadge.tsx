import { useId, useRef, useState } from 'react';
import { formatDate } from './format.ts';
import { useDismiss } from './useDismiss.ts';
import { useT } from '../i18n/useT.ts';
import { isShowingSample, useDatasetStore } from '../stores/dataset.ts';

/**
 * "示例数据 / sample data": shown while any sample data is on screen, with the explanation in a
 * popover (hover, focus or click) and in the title attribute.
 */
export function SampleBadge() {
  const { t, locale } = useT();
  const showing = useDatasetStore(isShowingSample);
  const dataAsOf = useDatasetStore((s) => s.meta?.dataAsOf);
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);

  useDismiss(open, ref, () => setOpen(false));

  if (!showing) return null;
  return (
    <div className="sample-badge-wrap" ref={ref} onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
      <button
        type="button"
        className="sample-badge"
        aria-expanded={open}
        aria-describedby={id}
        title={t('sample.explain')}
        onClick={() => setOpen((o) => !o)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        data-testid="sample-badge"
      >
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M8 1.5 15 14H1z" />
          <path className="mark" d="M8 6v4M8 11.5v.5" />
        </svg>
        {t('sample.badge')}
      </button>
      <div id={id} role="tooltip" className="sample-popover" hidden={!open}>
        <p>{t('sample.explain')}</p>
        {dataAsOf && <p className="muted">{t('sample.dataAsOf', { date: formatDate(dataAsOf, locale) })}</p>}
      </div>
    </div>
  );
}
