/**
 * `/bureau/interests` — the interest queue: overall or per plot (`?plotId=`), by status with
 * counts. The land bureau replies, closes or reopens, and turns an interest into a hold or a
 * proposed allocation in one step; a district officer reads their district's queue only.
 */
import { useEffect, useId, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { loginHref } from '../auth/redirect.ts';
import { investApi, type BureauInterest, type InterestStatus } from '../../api/index.ts';
import { HoldDialog, ProposeDialog } from './ConvertDialogs.tsx';
import { TurnIntoDemand } from '../demand/FromInterest.tsx';
import { InterestStatusTag } from '../../ui/InterestStatusTag.tsx';
import { formatDate } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import './interests.css';

const STATUSES: InterestStatus[] = ['new', 'replied', 'converted', 'closed'];
const READERS = ['admin', 'land_officer', 'district_officer'];

export default function BureauInterestsPage() {
  const { t } = useT();
  const errorText = useErrorText();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const status = (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as InterestStatus) : undefined;
  const plotId = /^\d+$/.test(params.get('plotId') ?? '') ? Number(params.get('plotId')) : undefined;
  const session = useSessionStore((s) => s.status);
  const user = useSessionStore((s) => s.user);
  const allowed = !!user && READERS.includes(user.role);
  const manage = useCan('interests.manage');
  const [reloadKey, setReloadKey] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const queue = useApi(allowed ? `queue:${status ?? ''}:${plotId ?? ''}:${reloadKey}` : null, (signal) => investApi.queue({ status, plotId, limit: 200 }, signal));
  const plotFieldId = useId();

  useEffect(() => {
    document.title = `${t('queue.title')} · ${t('app.title')}`;
  }, [t]);

  const go = (next: { status?: InterestStatus; plotId?: number }) => {
    const q = new URLSearchParams();
    if (next.status) q.set('status', next.status);
    if (next.plotId) q.set('plotId', String(next.plotId));
    navigate(`/bureau/interests${q.size ? `?${q}` : ''}`);
  };
  const changed = (message: string) => {
    setFlash(message);
    setReloadKey((k) => k + 1);
  };

  if (session === 'loading') return <p className="page-message" role="status">{t('app.loading')}</p>;
  if (!user) {
    return (
      <div className="page page--medium">
        <h1>{t('queue.title')}</h1>
        <p className="note note--info">
          <Link href={loginHref(`/bureau/interests${location.search}`)}>{t('auth.signIn')}</Link>
        </p>
      </div>
    );
  }
  if (!allowed) return <div className="page page--medium"><h1>{t('queue.title')}</h1><p className="note note--info">{t('access.forbiddenBody')}</p></div>;

  const counts = queue.data?.counts;
  return (
    <div className="page page--wide">
      <header className="page-head">
        <h1>{t('queue.title')}</h1>
        {!manage && <p className="muted">{t('queue.readOnly')}</p>}
      </header>
      <div className="queue-tools">
        <nav className="tabs" aria-label={t('queue.title')}>
          <button type="button" className="tab" aria-current={!status ? 'page' : undefined} onClick={() => go({ plotId })}>
            {t('queue.all')} {counts && <span className="count-badge">{STATUSES.reduce((s, k) => s + counts[k], 0)}</span>}
          </button>
          {STATUSES.map((s) => (
            <button key={s} type="button" className="tab" aria-current={status === s ? 'page' : undefined} onClick={() => go({ status: s, plotId })} data-testid={`queue-tab-${s}`}>
              {t(`interestStatus.${s}`)} {counts && <span className="count-badge">{counts[s]}</span>}
            </button>
          ))}
        </nav>
        <form
          className="plot-filter"
          onSubmit={(e) => {
            e.preventDefault();
            const v = new FormData(e.currentTarget).get('plotId');
            go({ status, plotId: v && /^\d+$/.test(String(v)) ? Number(v) : undefined });
          }}
        >
          <label htmlFor={plotFieldId}>{t('queue.plotFilter')}</label>
          <input id={plotFieldId} name="plotId" inputMode="numeric" defaultValue={plotId ?? ''} size={8} />
          <button type="submit" className="button button--small">
            OK
          </button>
        </form>
      </div>
      {flash && (
        <p className="note note--success" role="status">
          {flash}
        </p>
      )}
      {queue.error && <p className="form-error" role="alert">{errorText(queue.error)}</p>}
      {queue.loading && <p role="status">{t('app.loading')}</p>}
      {queue.data && queue.data.items.length === 0 && <p className="note note--info">{t('queue.empty')}</p>}
      {queue.data && queue.data.items.length > 0 && (
        <ul className="interest-cards" data-testid="queue-list">
          {queue.data.items.map((i) => (
            <QueueItem key={i.id} interest={i} manage={manage} onChanged={changed} />
          ))}
        </ul>
      )}
    </div>
  );
}

function QueueItem({ interest: i, manage, onChanged }: { interest: BureauInterest; manage: boolean; onChanged: (message: string) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'hold' | 'propose' | null>(null);
  const replyId = useId();

  const patch = async (body: { status?: 'new' | 'replied' | 'closed'; reply?: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      await investApi.updateInterest(i.id, body);
      setReply('');
      onChanged(t('queue.saved'));
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card interest-card" data-testid="queue-item" data-plot-code={i.plotCode}>
      <div className="interest-card-head">
        <span className="strong">{i.company}</span>
        <InterestStatusTag status={i.status} />
        <span className="muted small">#{i.id} · {formatDate(i.createdAt, locale, true)}</span>
      </div>
      <dl className="interest-facts figure-grid">
        <div>
          <dt>{t('interest.uscc')}</dt>
          <dd className="mono">{i.uscc}</dd>
        </div>
        <div>
          <dt>{t('queue.plot')}</dt>
          <dd>
            <Link href={`/plots/${encodeURIComponent(i.plotCode)}`}>{i.plotCode}</Link> · {localName(locale, { nameZh: i.parkNameZh, nameEn: i.parkNameEn })} · {t(`status.${i.plotStatus}`)}
          </dd>
        </div>
        <div>
          <dt>{t('queue.contact')}</dt>
          <dd>
            {i.contactName}
            {i.contactPhone && <> · {i.contactPhone}</>}
            {i.contactEmail && <> · {i.contactEmail}</>}
            <br />
            <span className="muted small">{i.investorUsername ? t('queue.account', { username: i.investorUsername }) : t('queue.noAccount')}</span>
          </dd>
        </div>
      </dl>
      {i.message && <p className="interest-message">{i.message}</p>}
      {i.reply && (
        <div className="interest-reply">
          <h3 className="small strong">{t('myInterests.reply')}</h3>
          <p className="interest-message">{i.reply}</p>
          <p className="muted small">
            {i.repliedBy} · {i.repliedAt && formatDate(i.repliedAt, locale, true)}
          </p>
        </div>
      )}
      {(i.holdId || i.allocationId) && (
        <p className="small">
          {t('queue.converted', {
            what: [i.holdId && t('queue.convertedHold', { id: i.holdId }), i.allocationId && t('queue.convertedProposal', { id: i.allocationId })].filter(Boolean).join(' · '),
          })}
        </p>
      )}
      {manage && (
        <div className="interest-actions">
          <form
            className="reply-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (reply.trim()) void patch({ reply });
            }}
          >
            <label htmlFor={replyId}>{t('queue.replyLabel')}</label>
            <textarea id={replyId} rows={2} maxLength={2000} value={reply} onChange={(e) => setReply(e.target.value)} />
            <button type="submit" className="button button--small" disabled={busy || !reply.trim()}>
              {t('queue.sendReply')}
            </button>
          </form>
          <div className="action-row">
            {i.status !== 'converted' && i.status !== 'closed' && (
              <button type="button" className="button button--ghost button--small" disabled={busy} onClick={() => void patch({ status: 'closed' })}>
                {t('queue.close')}
              </button>
            )}
            {i.status === 'closed' && (
              <button type="button" className="button button--ghost button--small" disabled={busy} onClick={() => void patch({ status: 'new' })}>
                {t('queue.reopen')}
              </button>
            )}
            {i.status !== 'closed' && !i.holdId && i.plotStatus === 'available' && (
              <button type="button" className="button button--small" onClick={() => setDialog('hold')} data-testid="to-hold">
                {t('queue.toHold')}
              </button>
            )}
            {i.status !== 'closed' && !i.allocationId && (
              <button type="button" className="button button--small" onClick={() => setDialog('propose')} data-testid="to-proposal">
                {t('queue.toProposal')}
              </button>
            )}
            <TurnIntoDemand interest={i} />
          </div>
          {failure && (
            <p className="form-error" role="alert">
              {failure}
            </p>
          )}
        </div>
      )}
      {dialog === 'hold' && <HoldDialog interest={i} onClose={() => setDialog(null)} onDone={(m) => { setDialog(null); onChanged(m); }} />}
      {dialog === 'propose' && <ProposeDialog interest={i} onClose={() => setDialog(null)} onDone={(m) => { setDialog(null); onChanged(m); }} />}
    </li>
  );
}
