import { useCallback } from 'react';
import type { UserFormProblem } from '../features/admin/userForm.ts';
import { useT } from '../i18n/useT.ts';

/** "This field is required" etc. for a field's problem. */
export function useProblemText(): (p: UserFormProblem | undefined) => string | null {
  const { t } = useT();
  return useCallback((p: UserFormProblem | undefined): string | null => {
    if (!p) return null;
    if (p === 'tooShort' || p === 'containsUsername' || p === 'tooRepetitive') return t(`password.${p}`);
    return t(`users.problem.${p}`);
  }, [t]);
}
