/**
 * The app shell: top bar and routes. Pages are lazy chunks; the shell (React, router, stores,
 * i18n) is what every route loads. Later issues add `/invest`, `/plots/:code`, `/bureau`,
 * `/district/:code` here, each as its own `lazy()` page.
 */
import { lazy, Suspense, useEffect } from 'react';
import { Route, Switch } from 'wouter';
import { TopBar } from '../components/TopBar.tsx';
import { useMetaLoader } from '../hooks/useMetaLoader.ts';
import { useT } from '../i18n/useT.ts';
import NotFound from '../pages/NotFound.tsx';

const MapPage = lazy(() => import('../pages/MapPage.tsx'));

function PageLoading() {
  const { t } = useT();
  return (
    <div className="page-message" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}

export function App() {
  useMetaLoader();
  const { t } = useT();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <div className="app">
      <TopBar />
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          <Switch>
            <Route path="/" component={MapPage} />
            <Route component={NotFound} />
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
