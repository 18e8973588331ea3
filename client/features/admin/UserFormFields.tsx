import { ROLES, roleNeedsDistrict, type Role } from '../../../shared/roles.ts';
import { roleLabel } from './labels.ts';
import type { UserFormErrors } from './userForm.ts';
import { SelectField } from '../../ui/Field.tsx';
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
  const needsDistrict = role !== '' && roleNeedsDistrict(role);
  const sorted = districts ? [...districts.values()].sort((a, b) => a.code.localeCompare(b.code)) : [];
  return (
    <>
      <SelectField
        label={t('users.role')}
        name="role"
        value={role}
        onChange={(e) => onChange({ role: e.target.value as Role | '', districtCode })}
        placeholder={t('users.chooseRole')}
        options={ROLES.map((r) => ({ value: r, label: roleLabel(r, locale) }))}
        error={errors.role && problem(errors.role)}
        required
      />
      {needsDistrict && (
        <SelectField
          label={t('users.district')}
          name="districtCode"
          value={districtCode}
          onChange={(e) => onChange({ role, districtCode: e.target.value })}
          placeholder={t('users.chooseDistrict')}
          options={sorted.map((d) => ({ value: d.code, label: `${localName(locale, d)} (${d.code})` }))}
          error={errors.districtCode && problem(errors.districtCode)}
          required
        />
      )}
    </>
  );
}
