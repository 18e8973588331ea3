/** Small pieces the supervision panel and list share. */
import { formatMoney } from '../../../shared/units.ts';
import type { SupervisionStage } from '../../api/index.ts';
import type { Locale } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { STAGE_COLORS } from './supervisionLayer.ts';

/** A fee in yuan (≤ 2 decimals on the wire) shown to the fen: "12,345.67 元" / "¥12,345.67". */
export function feeText(feeYuan: number, locale: Locale): string {
  return formatMoney(BigInt(Math.round(feeYuan * 100)), locale, 'full');
}

export function StageTag({ stage, testId }: { stage: SupervisionStage; testId?: string }) {
  const { t } = useT();
  return (
    <span className="tag sv-stage" data-stage={stage} data-testid={testId}>
      <span className="sv-dot" style={{ background: STAGE_COLORS[stage] }} aria-hidden="true" />
      {t(`sv.stage.${stage}`)}
    </span>
  );
}

/** "示例 / Sample" on a sample record, visibly. */
export function SampleTag({ sample }: { sample: boolean }) {
  const { t } = useT();
  if (!sample) return null;
  return (
    <span className="tag tag--sample" title={t('sv.sampleTitle')} data-testid="sv-sample">
      {t('sv.sample')}
    </span>
  );
}

/** A new `Idempotency-Key` (crypto.randomUUID exists only in secure contexts). */
export function newKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
