/**
 * `/admin/users` — administrators list, create, disable and enable users.
 * Details, edits, password resets and ending sessions are on `/admin/users/:id`.
 * Others see a 403 message; the server refuses them regardless.
 */
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { roleLabel } from './labels.ts';
import { checkNewUser, EMPTY_USER_FORM, generatePassword, type UserFormErrors, type UserFormValues } from './userForm.ts';
import { usersApi, type UserRecord } from '../../api/index.ts';
import { AccessGate, LoadError } from '../../ui/AccessGate.tsx';
import { ConfirmDialog, Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { DistrictName } from '../../ui/DistrictName.tsx';
import { InputField, UsernameField } from '../../ui/Field.tsx';
import { RoleDistrictFields } from './UserFormFields.tsx';
import { UserStatus } from '../../ui/UserStatus.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useDistrictNames, type DistrictNames } from '../../ui/useDistrictNames.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useProblemText } from '../../ui/useProblemText.ts';
import { formatDate } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import './admin.css';

export default function UsersPage() {
  return (
    <AccessGate permission="users.manage">
      <UsersAdmin />
    </AccessGate>
  );
}

interface Created {
  user: UserRecord;
  password: string;
}

function UsersAdmin() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const me = useSessionStore((s) => s.user);
  const districts = useDistrictNames();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [includeDisabled, setIncludeDisabled] = useState(true);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [toggle, setToggle] = useState<{ user: UserRecord; busy: boolean; error: string | null } | null>(null);
  const ids = { q: useId(), role: useId(), disabled: useId() };
  const query = { q: q.trim() || undefined, role: role || undefined, includeDisabled, limit: 500 };
  const list = useApi(`users:${JSON.stringify(query)}`, (signal) => usersApi.list(query, signal));

  const runToggle = async () => {
    if (!toggle) return;
    setToggle({ ...toggle, busy: true, error: null });
    try {
      if (toggle.user.disabled) await usersApi.enable(toggle.user.id);
      else await usersApi.disable(toggle.user.id);
      setToggle(null);
      list.reload();
    } catch (e) {
      setToggle({ ...toggle, busy: false, error: errorText(e) });
    }
  };

  return (
    <div className="page" data-testid="users-page">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <p className="eyebrow">{t('admin.eyebrow')}</p>
            <h1>{t('users.title')}</h1>
          </div>
          <div className="page-header-actions">
            <Link href="/admin/audit?entity=user" className="button button--secondary">
              {t('audit.title')}
            </Link>
            <button type="button" className="button" onClick={() => setCreating(true)} data-testid="create-user">
              {t('users.create')}
            </button>
          </div>
        </header>

        {created && (
          <div className="alert alert--ok" role="status" data-testid="created-note">
            <p>
              {t('users.createdNote', { username: created.user.username })}{' '}
              <code className="secret" data-testid="created-password">{created.password}</code>
            </p>
            <p className="muted">{created.user.mustChangePassword ? t('users.passwordOnceMustChange') : t('users.passwordOnce')}</p>
            <button type="button" className="button button--secondary button--small" onClick={() => setCreated(null)}>
              {t('users.dismiss')}
            </button>
          </div>
        )}

        <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field field--inline">
            <label htmlFor={ids.q}>{t('users.search')}</label>
            <input id={ids.q} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('users.searchPlaceholder')} />
          </div>
          <div className="field field--inline">
            <label htmlFor={ids.role}>{t('users.role')}</label>
            <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">{t('users.allRoles')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r, locale)}
                </option>
              ))}
            </select>
          </div>
          <label className="check">
            <input id={ids.disabled} type="checkbox" checked={includeDisabled} onChange={(e) => setIncludeDisabled(e.target.checked)} />
            {t('users.includeDisabled')}
          </label>
          {list.data && <p className="muted toolbar-count">{t('users.count', { n: list.data.total })}</p>}
        </form>

        {list.error && <LoadError error={list.error} onRetry={list.reload} />}
        <Table
          wrapClassName="table-wrap"
          className="data-table"
          data-testid="users-table"
          aria-busy={list.loading}
          columns={[
            t('users.username'),
            t('users.displayName'),
            t('users.role'),
            t('users.district'),
            t('users.status'),
            t('users.lastSeen'),
            { label: t('users.actions'), hidden: true },
          ]}
        >
          {list.loading && !list.data && <TableStateRow colSpan={7} />}
          {list.data?.items.length === 0 && <TableStateRow colSpan={7}>{t('users.none')}</TableStateRow>}
          {list.data?.items.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.username}`} className={u.disabled ? 'row--disabled' : undefined}>
              <td>
                <Link href={`/admin/users/${u.id}`} className="strong">
                  {u.username}
                </Link>
                {u.id === me?.id && <span className="tag tag--muted">{t('users.you')}</span>}
              </td>
              <td>{u.displayName}</td>
              <td>{roleLabel(u.role, locale)}</td>
              <td>
                <DistrictName code={u.districtCode} districts={districts} />
              </td>
              <td>
                <UserStatus user={u} />
              </td>
              <td className="nowrap">{u.lastSeenAt ? formatDate(u.lastSeenAt, locale, true) : <span className="muted">{t('users.never')}</span>}</td>
              <td className="row-actions">
                {u.id !== me?.id && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => setToggle({ user: u, busy: false, error: null })}
                    data-testid={`toggle-${u.username}`}
                  >
                    {u.disabled ? t('users.enable') : t('users.disable')}
                  </button>
                )}
                <Link href={`/admin/users/${u.id}`} className="button button--secondary button--small">
                  {t('users.details')}
                </Link>
              </td>
            </tr>
          ))}
        </Table>
      </div>

      {creating && (
        <CreateUserDialog
          districts={districts}
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
            list.reload();
          }}
        />
      )}
      {toggle && (
        <ConfirmDialog
          title={toggle.user.disabled ? t('users.enableTitle') : t('users.disableTitle')}
          message={<p>{t(toggle.user.disabled ? 'users.enableConfirm' : 'users.disableConfirm', { name: toggle.user.displayName, username: toggle.user.username })}</p>}
          confirmLabel={toggle.user.disabled ? t('users.enable') : t('users.disable')}
          danger={!toggle.user.disabled}
          busy={toggle.busy}
          error={toggle.error}
          onConfirm={() => void runToggle()}
          onCancel={() => setToggle(null)}
        />
      )}
    </div>
  );
}

function CreateUserDialog({
  districts,
  onClose,
  onCreated,
}: {
  districts: DistrictNames | null;
  onClose: () => void;
  onCreated: (c: Created) => void;
}) {
  const { t } = useT();
  const errorText = useErrorText();
  const problem = useProblemText();
  const [v, setV] = useState<UserFormValues>(() => ({ ...EMPTY_USER_FORM, password: generatePassword() }));
  const [errors, setErrors] = useState<UserFormErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = checkNewUser(v);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setServerError(null);
    try {
      const user = await usersApi.create(checked.body);
      onCreated({ user, password: checked.body.password });
    } catch (err) {
      setServerError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.createTitle')} onClose={onClose} testId="create-user-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <UsernameField
          label={t('users.username')}
          autoComplete="off"
          value={v.username}
          onChange={(e) => setV({ ...v, username: e.target.value })}
          error={errors.username && problem(errors.username)}
          required
        />
        <InputField
          label={t('users.displayName')}
          name="displayName"
          autoComplete="off"
          value={v.displayName}
          onChange={(e) => setV({ ...v, displayName: e.target.value })}
          error={errors.displayName && problem(errors.displayName)}
          required
          maxLength={100}
        />
        <RoleDistrictFields
          role={v.role}
          districtCode={v.districtCode}
          districts={districts}
          errors={errors}
          onChange={(x) => setV({ ...v, ...x })}
        />
        <InputField
          label={t('users.initialPassword')}
          name="password"
          autoComplete="off"
          spellCheck={false}
          className="mono"
          value={v.password}
          onChange={(e) => setV({ ...v, password: e.target.value })}
          hint={t('users.initialPasswordHint')}
          error={errors.password && problem(errors.password)}
          required
          addon={
            <button type="button" className="button button--secondary" onClick={() => setV({ ...v, password: generatePassword() })}>
              {t('users.generate')}
            </button>
          }
        />
        <label className="check">
          <input type="checkbox" checked={v.mustChangePassword} onChange={(e) => setV({ ...v, mustChangePassword: e.target.checked })} />
          {t('users.mustChange')}
        </label>
        <DialogFooter error={serverError} busy={busy} onCancel={onClose} submitLabel={t('users.createSubmit')} submitTestId="create-user-submit" />
      </form>
    </Dialog>
  );
}
