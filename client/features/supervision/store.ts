/**
 * The supervision screen's own state: the layer's mode, the year the grades are for, and a
 * version that moves after every write so the lists and the map colours load again.
 */
import { create } from 'zustand';
import { bureauYear } from '../../../shared/dates.ts';
import type { LayerMode } from './supervisionLayer.ts';

interface SupervisionState {
  mode: LayerMode;
  /** 亩均 figures are yearly: last year's are the latest complete ones. */
  gradeYear: number;
  dataVersion: number;
}

export const useSupervisionStore = create<SupervisionState>(() => ({ mode: 'stage', gradeYear: bureauYear() - 1, dataVersion: 0 }));

export function setMode(mode: LayerMode): void {
  useSupervisionStore.setState({ mode });
}

export function setGradeYear(gradeYear: number): void {
  useSupervisionStore.setState({ gradeYear });
}

/** After a write: load the figures again. */
export function bumpData(): void {
  useSupervisionStore.setState((s) => ({ dataVersion: s.dataVersion + 1 }));
}
