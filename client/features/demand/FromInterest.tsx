/**
 * "转为用地需求 / Turn into a demand" on the bureau's interest queue: opens the new-demand form
 * prefilled from the interest (the company and its code, the interest's id, the plot's 亩 ± 20 %
 * in whole 亩, the plot's district, the message as the note) and, once recorded, opens the demand.
 * Shown to the roles that may record demands; the interests page adds it with one line.
 */
import { useState } from 'react';
import { useLocation } from 'wouter';
import { plotsApi, type BureauInterest } from '../../api/index.ts';
import { bureauToday } from '../../../shared/dates.ts';
import { useCan } from '../../ui/useCan.ts';
import { useT } from '../../i18n/useT.ts';
import { prefillFromInterest, type DemandFormValues } from './demandForm.ts';
import { DemandFormDialog } from './DemandFormDialog.tsx';
import './demand.css';

export function TurnIntoDemand({ interest }: { interest: BureauInterest }) {
  const { t } = useT();
  const [, navigate] = useLocation();
  const allowed = useCan('demands.manage');
  const [loading, setLoading] = useState(false);
  const [initial, setInitial] = useState<DemandFormValues | null>(null);
  if (!allowed || interest.status === 'closed') return null;

  const open = async () => {
    setLoading(true);
    // The plot's area sets the range; without it (a failed read) the form's default range stays.
    const plot = await plotsApi.get(interest.plotId).then((f) => ({ areaM2: f.properties.areaM2 }), () => null);
    setInitial(prefillFromInterest(interest, plot, { today: bureauToday(), projectName: t('demand.form.defaultName', { company: interest.company }) }));
    setLoading(false);
  };

  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={() => void open()} disabled={loading} aria-busy={loading} data-testid="to-demand">
        {loading && <span className="spinner" aria-hidden="true" />}
        {t('demand.fromInterest.button')}
      </button>
      {initial && (
        <DemandFormDialog
          initial={initial}
          fromInterest={{ id: interest.id, plotCode: interest.plotCode }}
          onClose={() => setInitial(null)}
          onCreated={(d) => {
            setInitial(null);
            navigate(`/bureau/demand/${d.id}`);
          }}
        />
      )}
    </>
  );
}
