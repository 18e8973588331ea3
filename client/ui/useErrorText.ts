import { useCallback } from 'react';
import { ApiError } from '../api/index.ts';
import { localizeServerMessage } from '../features/auth/serverMessage.ts';
import { useT } from '../i18n/useT.ts';

/** An error from the API in words for this page: signed out, not allowed, or the server's message. */
export function useErrorText(): (e: unknown) => string {
  const { t, locale } = useT();
  return useCallback((e: unknown) => {
    if (e instanceof ApiError) {
      if (e.status === 401) return t('access.sessionEnded');
      if (e.status === 403 && e.reason === 'ROLE_NOT_ALLOWED') return t('access.forbiddenBody');
      if (e.status === 429 && e.retryAfterS !== undefined) return t('common.rateLimited');
      return localizeServerMessage(e.message, locale);
    }
    if (e instanceof TypeError) return t('common.networkError');
    return e instanceof Error ? e.message : String(e);
  }, [t, locale]);
}

