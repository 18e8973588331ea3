import { useMemo } from 'react';
import { supervisionApi, type EvaluationList, type IdleList } from '../../api/index.ts';
import { useApi, type ApiState } from '../../ui/useApi.ts';
import { useSupervisionStore } from './store.ts';

/**
 * The idle-land items today (reloaded after every write) and, while the layer shows grades, the
 * year's 亩均 evaluation — the data the map colours, the list and the panel share.
 */
export function useSupervisionData(): { idle: ApiState<IdleList>; evaluation: ApiState<EvaluationList> | null } {
  const version = useSupervisionStore((s) => s.dataVersion);
  const mode = useSupervisionStore((s) => s.mode);
  const year = useSupervisionStore((s) => s.gradeYear);
  const idle = useApi(`idle#${version}`, (signal) => supervisionApi.idle({}, signal));
  const evaluation = useApi(mode === 'grade' ? `evaluation#${year}#${version}` : null, (signal) => supervisionApi.evaluation(year, signal));
  return useMemo(() => ({ idle, evaluation: mode === 'grade' ? evaluation : null }), [idle, evaluation, mode]);
}
