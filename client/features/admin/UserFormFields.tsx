import { useId } from 'react';
import { ROLES, roleNeedsDistrict, type Role } from '../../../shared/roles.ts';
import { roleLabel } from './labels.ts';
import type { UserFormErrors } from './userForm.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';
import { useProblemText } from '../../ui/useProblemText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';

/** Role and district selects: the district is asked for (and required) only for a district officer. */
export function RoleDistrictFields({
  role,
  districtCode,
  districts,
  errors,
  onChange,
}: {
  role: Role | '';
  districtCode: string;
  districts: DistrictNames | null;
  errors: UserFormErrors;
  onChange: (v: { role: Role | ''; districtCode: string }) => void;
}) {
  const { t, locale } = useT();
  const problem = useProblemText();
  const ids = { role: useId(), district: useId(), roleErr: useId(), districtErr: useId() };
  const needsDistrict = role !== '' && roleNeedsDistrict(role);
  const sorted = districts ? [...districts.values()].sort((a, b) => a.code.localeCompare(b.code)) : [];
  return (
    <>
      <div className="field">
        <label htmlFor={ids.role}>{t('users.role')}</label>
        <select
          id={ids.role}
          name="role"
          value={role}
          onChange={(e) => onChange({ role: e.target.value as Role | '', districtCode })}
          aria-invalid={errors.role ? true : undefined}
          aria-describedby={errors.role ? ids.roleErr : undefined}
          required
        >
          <option value="">{t('users.chooseRole')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r, locale)}
            </option>
          ))}
        </select>
        {errors.role && <p id={ids.roleErr} className="field-error">{problem(errors.role)}</p>}
      </div>
      {needsDistrict && (
        <div className="field">
          <label htmlFor={ids.district}>{t('users.district')}</label>
          <select
            id={ids.district}
            name="districtCode"
            value={districtCode}
            onChange={(e) => onChange({ role, districtCode: e.target.value })}
            aria-invalid={errors.districtCode ? true : undefined}
            aria-describedby={errors.districtCode ? ids.districtErr : undefined}
            required
          >
            <option value="">{t('users.chooseDistrict')}</option>
            {sorted.map((d) => (
              <option key={d.code} value={d.code}>
                {localName(locale, d)} ({d.code})
              </option>
            ))}
          </select>
          {errors.districtCode && <p id={ids.districtErr} className="field-error">{problem(errors.districtCode)}</p>}
        </div>
      )}
    </>
  );
}
