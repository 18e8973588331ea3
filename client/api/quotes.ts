/** The price floor of 五(三)14 (`POST /api/quotes/price-floor`). */
import type { FloorBinding, FloorBody, FloorResponse } from '../../shared/contract/quotes.ts';
import { requestJson } from './http.ts';

export type { FloorBinding };
/**
 * A plot's floor as the screens read it: the indicative minimum for the public and investors, the
 * full floor for the bureau (the answer's messages and reference versions are not shown there).
 */
export type PlotFloorQuote = Omit<FloorResponse, 'messageZh' | 'messageEn' | 'referenceVersions'>;

export const quotesApi = {
  /** The plot's floor for an IAB (or other) project; the server takes A, B, C, N from the plot. */
  forPlot: (plotId: number, opts: Pick<FloorBody, 'iab' | 'termYears'>, signal?: AbortSignal) =>
    requestJson<FloorResponse>('POST', '/api/quotes/price-floor', { signal, body: { plotId, ...opts } }),
};
