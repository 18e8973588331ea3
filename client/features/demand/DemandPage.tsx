/**
 * `/bureau/demand` and `/bureau/demand/overview` — the bureau's project land demand register
 * (随用随供, 五(三)11) and the overview of demand against supply. Land officers and the admin
 * record demands (also from an investor's interest, on the interests page); everyone with
 * `demands.read` reads them — a district officer their own district's, read-only (the server scopes).
 */
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { useCan } from '../../ui/useCan.ts';
import { useT } from '../../i18n/useT.ts';
import { DemandFormDialog } from './DemandFormDialog.tsx';
import { DemandOverviewView } from './DemandOverview.tsx';
import { DemandRegister } from './DemandRegister.tsx';
import './demand.css';

export default function DemandPage() {
  return (
    <AccessGate permission="demands.read">
      <DemandScreen />
    </AccessGate>
  );
}

function DemandScreen() {
  const { t } = useT();
  const [path, navigate] = useLocation();
  const manage = useCan('demands.manage');
  const overview = path.replace(/\/$/, '').endsWith('/overview');
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    document.title = `${overview ? t('demand.ov.title') : t('demand.title')} · ${t('app.title')}`;
  }, [t, overview]);

  return (
    <div className="page" data-testid="demand-page">
      <div className="page-inner dm-inner">
        <header className="page-header">
          <div>
            <p className="eyebrow">{t('demand.eyebrow')}</p>
            <h1>{t('demand.title')}</h1>
            <p className="muted">{manage ? t('demand.lead') : t('demand.leadReadOnly')}</p>
          </div>
          {manage && (
            <div className="page-header-actions">
              <button type="button" className="button" onClick={() => setCreating(true)} data-testid="demand-new">
                {t('demand.new')}
              </button>
            </div>
          )}
        </header>
        <nav className="tabs dm-tabs" aria-label={t('demand.tabs')}>
          <Link href="/bureau/demand" className="tab" aria-current={!overview ? 'page' : undefined} data-testid="demand-tab-register">
            {t('demand.tab.register')}
          </Link>
          <Link href="/bureau/demand/overview" className="tab" aria-current={overview ? 'page' : undefined} data-testid="demand-tab-overview">
            {t('demand.tab.overview')}
          </Link>
        </nav>
        {overview ? <DemandOverviewView /> : <DemandRegister />}
      </div>
      {creating && (
        <DemandFormDialog
          onClose={() => setCreating(false)}
          onCreated={(d) => {
            setCreating(false);
            navigate(`/bureau/demand/${d.id}`);
          }}
        />
      )}
    </div>
  );
}
