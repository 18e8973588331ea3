/**
 * `/me/interests` — an investor's own expressions of interest: the plot, what they sent, the
 * status and the bureau's reply. Others' interests are never reachable (the server answers 404).
 */
import { useEffect } from 'react';
import { Link } from 'wouter';
import { loginHref } from '../auth/redirect.ts';
import { investApi } from '../../api/index.ts';
import { InterestStatusTag } from '../../ui/InterestStatusTag.tsx';
import { formatDate } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';

export default function MyInterestsPage() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const status = useSessionStore((s) => s.status);
  const user = useSessionStore((s) => s.user);
  const isInvestor = user?.role === 'investor';
  const list = useApi(isInvestor ? `my-interests:${user.id}` : null, (signal) => investApi.myInterests(signal));

  useEffect(() => {
    document.title = `${t('myInterests.title')} · ${t('app.title')}`;
  }, [t]);

  return (
    <div className="page page--medium">
      <header className="page-head">
        <h1>{t('myInterests.title')}</h1>
        <Link href="/invest">{t('nav.invest')} →</Link>
      </header>
      {status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {status === 'anonymous' && (
        <div className="note note--info">
          <p>{t('myInterests.signInFirst')}</p>
          <p>
            <Link href={loginHref('/me/interests')}>{t('auth.signIn')}</Link> · <Link href="/signup">{t('signup.title')}</Link>
          </p>
        </div>
      )}
      {user && !isInvestor && <p className="note note--info">{t('myInterests.notInvestor')}</p>}
      {list.error && <p className="form-error" role="alert">{errorText(list.error)}</p>}
      {list.data && list.data.items.length === 0 && <p className="note note--info">{t('myInterests.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="interest-cards" data-testid="my-interests">
          {list.data.items.map((i) => (
            <li key={i.id} className="card interest-card">
              <div className="interest-card-head">
                <Link href={`/plots/${encodeURIComponent(i.plotCode)}`} className="strong">
                  {i.plotCode}
                </Link>
                <span className="muted">{localName(locale, { nameZh: i.parkNameZh, nameEn: i.parkNameEn })}</span>
                <InterestStatusTag status={i.status} />
              </div>
              <p className="muted small">
                #{i.id} · {t('myInterests.submitted', { date: formatDate(i.createdAt, locale, true) })} · {i.company}
              </p>
              {i.message && <p className="interest-message">{i.message}</p>}
              <div className="interest-reply">
                <h2 className="small strong">{t('myInterests.reply')}</h2>
                {i.reply ? <p className="interest-message">{i.reply}</p> : <p className="muted">{t('myInterests.noReply')}</p>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
