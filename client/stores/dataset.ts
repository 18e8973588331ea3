/**
 * What we know about the data on screen: the server's `/api/meta` and whether any feature shown
 * so far was marked `sample`. Drives the "示例数据 / sample data" badge.
 */
import { create } from 'zustand';
import type { Meta } from '../api/index.ts';

interface DatasetState {
  meta: Meta | null;
  /** A feature with `sample: true` has been loaded (independent of /api/meta). */
  sampleSeen: boolean;
}

export const useDatasetStore = create<DatasetState>(() => ({ meta: null, sampleSeen: false }));

export function setMeta(meta: Meta): void {
  useDatasetStore.setState({ meta });
}

export function markSampleSeen(): void {
  if (!useDatasetStore.getState().sampleSeen) useDatasetStore.setState({ sampleSeen: true });
}

export function isShowingSample(s: DatasetState): boolean {
  return s.sampleSeen || s.meta?.sampleData === true;
}
