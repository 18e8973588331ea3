/** `GET /api/meta`: what the data is, and the switches the screens follow. */
import type { Meta } from '../../shared/contract/system.ts';
import { getJson } from './http.ts';

export type { Meta };

export const metaApi = {
  get: (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal),
};
