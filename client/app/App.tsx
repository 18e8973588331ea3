/**
 * The app shell: top bar and routes. Pages are lazy chunks; the shell (React, router, stores,
 * i18n) is what every route loads. Later issues add `/invest`, `/plots/:code`, `/bureau`,
 * `/district/:code` here, each as its own `lazy()` page.
 */
import { lazy, Suspense, useEffect } from 'react';
import { Route, Switch } from 'wouter';
import { PageLoading } from '../ui/AccessGate.tsx';
import { TopBar } from '../ui/TopBar.tsx';
import { useMetaLoader } from '../ui/useMetaLoader.ts';
import { useSessionLoader } from '../ui/useSessionLoader.ts';
import { useSessionStore } from '../stores/session.ts';
import { useT } from '../i18n/useT.ts';
import NotFound from './NotFound.tsx';

const MapPage = lazy(() => import('../features/map/MapPage.tsx'));
// Accounts and the price-floor tool.
const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));
const AccountPasswordPage = lazy(() => import('../features/auth/AccountPasswordPage.tsx'));
const UsersPage = lazy(() => import('../features/admin/UsersPage.tsx'));
const UserPage = lazy(() => import('../features/admin/UserPage.tsx'));
const AuditPage = lazy(() => import('../features/admin/AuditPage.tsx'));
const FloorToolPage = lazy(() => import('../features/floor/FloorToolPage.tsx'));
// Investors: search, plot sheet, compare, sign-up, my interests; the bureau's interest queue.
const InvestPage = lazy(() => import('../features/invest/InvestPage.tsx'));
const PlotSheetPage = lazy(() => import('../features/invest/PlotSheetPage.tsx'));
const ComparePage = lazy(() => import('../features/invest/ComparePage.tsx'));
const SignupPage = lazy(() => import('../features/auth/SignupPage.tsx'));
const MyInterestsPage = lazy(() => import('../features/invest/MyInterestsPage.tsx'));
// Siting for a project's requirements, and its printable brief (issue #16).
const SitingPage = lazy(() => import('../features/siting/SitingPage.tsx'));
const SitingBriefPage = lazy(() => import('../features/siting/SitingBriefPage.tsx'));
const BureauInterestsPage = lazy(() => import('../features/bureau/BureauInterestsPage.tsx'));
// The bureau's allocation workspace (map + Allocate panel, quota gauge, allocation lists).
const AllocationsPage = lazy(() => import('../features/bureau/AllocationsPage.tsx'));
// Plot data: the map editor and survey-file import/export.
const EditorPage = lazy(() => import('../features/editor/EditorPage.tsx'));
const ImportPage = lazy(() => import('../features/imports/ImportPage.tsx'));
// Review: the city overview of all parks, a district's dashboard, a printable park report, park recognition.
const ParksOverviewPage = lazy(() => import('../features/district/ParksOverviewPage.tsx'));
const DistrictPage = lazy(() => import('../features/district/DistrictPage.tsx'));
const ParkReportPage = lazy(() => import('../features/district/ParkReportPage.tsx'));
const ParksAdminPage = lazy(() => import('../features/admin/ParksAdminPage.tsx'));
const ReferencePage = lazy(() => import('../features/admin/ReferencePage.tsx'));
// After the sale: the 亩均 evaluation, its CSV import, the yearly monitoring report.
const EvaluationPage = lazy(() => import('../features/performance/EvaluationPage.tsx'));
const PerformanceImportPage = lazy(() => import('../features/performance/ImportPage.tsx'));
const MonitoringReportPage = lazy(() => import('../features/district/MonitoringReportPage.tsx'));
// Supervision after the sale: idle land, inspections, 亩均 grades on the map.
const SupervisionPage = lazy(() => import('../features/supervision/SupervisionPage.tsx'));
// Project land demand (随用随供): the register, the overview, one demand.
const DemandPage = lazy(() => import('../features/demand/DemandPage.tsx'));
const DemandDetailPage = lazy(() => import('../features/demand/DemandDetailPage.tsx'));

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
              <Route path="/invest/siting" component={SitingPage} />
              <Route path="/invest/siting/brief" component={SitingBriefPage} />
              <Route path="/invest" component={InvestPage} />
              <Route path="/plots/:code" component={PlotSheetPage} />
              <Route path="/compare" component={ComparePage} />
              <Route path="/signup" component={SignupPage} />
              <Route path="/me/interests" component={MyInterestsPage} />
              <Route path="/bureau/interests" component={BureauInterestsPage} />
              <Route path="/bureau/demand" component={DemandPage} />
              <Route path="/bureau/demand/overview" component={DemandPage} />
              <Route path="/bureau/demand/:id" component={DemandDetailPage} />
              <Route path="/bureau" component={AllocationsPage} />
              <Route path="/bureau/editor" component={EditorPage} />
              <Route path="/bureau/imports" component={ImportPage} />
              <Route path="/bureau/parks" component={ParksOverviewPage} />
              <Route path="/district/:code" component={DistrictPage} />
              <Route path="/parks/:id/report" component={ParkReportPage} />
              <Route path="/admin/parks" component={ParksAdminPage} />
              <Route path="/admin/reference" component={ReferencePage} />
              <Route path="/supervision/evaluation" component={EvaluationPage} />
              <Route path="/supervision/evaluation/import" component={PerformanceImportPage} />
              <Route path="/supervision/report" component={MonitoringReportPage} />
              <Route path="/supervision" component={SupervisionPage} />
              <Route component={NotFound} />
            </Switch>
          )}
        </Suspense>
      </main>
    </div>
  );
}
