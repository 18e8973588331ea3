/**
 * "Why not this plot?" (`GET /api/siting/explain`): a plot code, and the answer for the current
 * requirements — every hard requirement it fails, or its score and rank among the candidates.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, investApi, sitingApi, type SitingExplainResponse, type SitingRequirements } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { formatNumber } from '../../ui/format.ts';
import { useErrorText } from '../../ui/useErrorText.ts';

export function WhyNotPanel({ query }: { query: SitingRequirements }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const id = useId();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<SitingExplainResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!c) return;
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const plot = await investApi.plotByCode(c);
      setAnswer(await sitingApi.explain(plot.properties.id, query));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? t('sheet.notFound', { code: c }) : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="siting-whynot">
      <summary>{t('siting.whyNot.title')}</summary>
      <form className="siting-whynot-form" onSubmit={ask}>
        <label htmlFor={id}>{t('siting.whyNot.code')}</label>
        <input id={id} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" data-testid="whynot-code" />
        <button type="submit" className="button button--small" disabled={busy || !code.trim()}>
          {t('siting.whyNot.ask')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {answer && (
        <div className="siting-whynot-answer" role="status" data-testid="whynot-answer">
          {answer.eligible && answer.item ? (
            <p>{t('siting.whyNot.eligible', { code: answer.plotCode, rank: answer.item.rank, n: formatNumber(answer.candidates, locale, 0), score: formatNumber(answer.item.score, locale, 1, 1) })}</p>
          ) : (
            <>
              <p>{t('siting.whyNot.excluded', { code: answer.plotCode })}</p>
              <ul>
                {answer.failures.map((f) => (
                  <li key={f.requirement}>{locale === 'en' ? f.textEn : f.textZh}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </details>
  );
}
