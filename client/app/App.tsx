/**
 * The app shell: top bar and routes. Pages are lazy chunks; the shell (React, router, stores,
 * i18n) is what every route loads. Later issues add `/invest`, `/plots/:code`, `/bureau`,
 * `/district/:code` here, each as its own `lazy()` page.
 */
import { lazy, Suspense, useEffect } from 'react';
import { Route, Switch } from 'wouter';
import { PageLoading } from '../components/AccessGate.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { useMetaLoader } from '../hooks/useMetaLoader.ts';
import { useSessionLoader } from '../hooks/useSessionLoader.ts';
import { useSessionStore } from '../stores/session.ts';
import { useT } from '../i18n/useT.ts';
import NotFound from '../pages/NotFound.tsx';

const MapPage = lazy(() => import('../pages/MapPage.tsx'));
// Accounts and the price-floor tool (accounts issue; rules issue item 5).
const LoginPage = lazy(() => import('../pages/LoginPage.tsx'));
const AccountPasswordPage = lazy(() => import('../pages/AccountPasswordPage.tsx'));
const UsersPage = lazy(() => import('../pages/admin/UsersPage.tsx'));
const UserPage = lazy(() => import('../pages/admin/UserPage.tsx'));
const AuditPage = lazy(() => import('../pages/admin/AuditPage.tsx'));
const FloorToolPage = lazy(() => import('../pages/FloorToolPage.tsx'));
// Investors: search, plot sheet, compare, sign-up, my interests; the bureau's interest queue.
const InvestPage = lazy(() => import('../pages/InvestPage.tsx'));
const PlotSheetPage = lazy(() => import('../pages/PlotSheetPage.tsx'));
const ComparePage = lazy(() => import('../pages/ComparePage.tsx'));
const SignupPage = lazy(() => import('../pages/SignupPage.tsx'));
const MyInterestsPage = lazy(() => import('../pages/MyInterestsPage.tsx'));
const BureauInterestsPage = lazy(() => import('../pages/BureauInterestsPage.tsx'));
// The bureau's allocation workspace (map + Allocate panel, quota gauge, allocation lists).
const AllocationsPage = lazy(() => import('../pages/bureau/AllocationsPage.tsx'));
// Plot data: the map editor and survey-file import/export.
const EditorPage = lazy(() => import('../pages/bureau/EditorPage.tsx'));
const ImportPage = lazy(() => import('../pages/bureau/ImportPage.tsx'));
// Review: the city overview of all parks, a district's dashboard, a printable park report, park recognition.
const ParksOverviewPage = lazy(() => import('../pages/bureau/ParksOverviewPage.tsx'));
const DistrictPage = lazy(() => import('../pages/district/DistrictPage.tsx'));
const ParkReportPage = lazy(() => import('../pages/district/ParkReportPage.tsx'));
const ParksAdminPage = lazy(() => import('../pages/admin/ParksAdminPage.tsx'));
const ReferencePage = lazy(() => import('../pages/admin/ReferencePage.tsx'));

export function App() {
  useMetaLoader();
  useSessionLoader();
  // Until a required password change is done the server refuses everything else: show only that.
  const mustChangePassword = useSessionStore((s) => s.user?.mustChangePassword === true);
  const { t } = useT();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <div className="app">
      <TopBar />
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          {mustChangePassword ? (
            <AccountPasswordPage forced />
          ) : (
            <Switch>
              <Route path="/" component={MapPage} />
              <Route path="/login" component={LoginPage} />
              <Route path="/account/password">
                <AccountPasswordPage />
              </Route>
              <Route path="/admin/users" component={UsersPage} />
              <Route path="/admin/users/:id" component={UserPage} />
              <Route path="/admin/audit" component={AuditPage} />
              <Route path="/tools/floor" component={FloorToolPage} />
              <Route path="/invest" component={InvestPage} />
              <Route path="/plots/:code" component={PlotSheetPage} />
              <Route path="/compare" component={ComparePage} />
              <Route path="/signup" component={SignupPage} />
              <Route path="/me/interests" component={MyInterestsPage} />
              <Route path="/bureau/interests" component={BureauInterestsPage} />
              <Route path="/bureau" component={AllocationsPage} />
              <Route path="/bureau/editor" component={EditorPage} />
              <Route path="/bureau/imports" component={ImportPage} />
              <Route path="/bureau/parks" component={ParksOverviewPage} />
              <Route path="/district/:code" component={DistrictPage} />
              <Route path="/parks/:id/report" component={ParkReportPage} />
              <Route path="/admin/parks" component={ParksAdminPage} />
              <Route path="/admin/reference" component={ReferencePage} />
              <Route component={NotFound} />
            </Switch>
          )}
        </Suspense>
      </main>
    </div>
  );
}
