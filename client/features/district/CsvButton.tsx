import { useState } from 'react';
import { ApiError } from '../../api/index.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { filenameFromDisposition } from './figures.ts';

/**
 * "导出 CSV": downloads the server's CSV (UTF-8 with a BOM, so Excel reads the Chinese) under the
 * file name the server gives. Fetched first, so a refusal (session ended, 403) is said on the
 * page instead of saving an error as a spreadsheet.
 */
export function CsvButton({ url, fallbackName, testId = 'csv-export' }: { url: string; fallbackName: string; testId?: string }) {
  const { t } = useT();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/csv' } });
      if (!res.ok) {
        let body: { code?: string; message?: string } = {};
        try {
          body = (await res.json()) as typeof body;
        } catch {
          // not JSON: the status says enough
        }
        throw new ApiError(res.status, body.code ?? 'HTTP_ERROR', body.message ?? `${res.status} ${res.statusText}`);
      }
      const blob = await res.blob();
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = filenameFromDisposition(res.headers.get('content-disposition'), fallbackName);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="dash-csv">
      <button type="button" className="button button--secondary button--small" onClick={() => void download()} disabled={busy} data-testid={testId}>
        {busy ? <span className="spinner spinner--inline" aria-hidden="true" /> : <DownloadIcon />}
        {t('dashboard.exportCsv')}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="dash-icon">
      <path d="M8 2v8m0 0L4.5 6.5M8 10l3.5-3.5M2.5 13.5h11" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
