import type { UserRecord } from '../api/index.ts';
import { useT } from '../i18n/useT.ts';

/** 正常 / 已停用, and 待改密 when the user must choose a new password. */
export function UserStatus({ user }: { user: Pick<UserRecord, 'disabled' | 'mustChangePassword'> }) {
  const { t } = useT();
  return (
    <span className="status-tags" data-testid="user-status">
      {user.disabled ? <span className="tag tag--off">{t('users.statusDisabled')}</span> : <span className="tag tag--ok">{t('users.statusActive')}</span>}
      {!user.disabled && user.mustChangePassword && <span className="tag tag--warn">{t('users.statusMustChange')}</span>}
    </span>
  );
}
