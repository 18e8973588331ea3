/**
 * A plot's codes on a write (migration 026): 宗地代码 (`parcelCode`, shared/policy/parcel-code.ts,
 * GB/T 37346-2019), 控规地块编号 (`zoningPlotCode`, free) and the 2023 用地用海 code
 * (`landUseCode`, shared/land-use-codes.ts). Each refusal is a 400 naming the field, in both
 * languages; a 宗地代码 already on another live plot is a 409 (the partial unique index
 * `plots_parcel_code_live` backs the check up under concurrency: server/kernel/errors.ts).
 *
 * - parcelCode: trimmed and upper-cased, then checked; its district (first 6 digits) must be the
 *   district of the plot's park (after the write: a move to another district's park with the old
 *   code is refused too). null clears it.
 * - zoningPlotCode: trimmed; empty or null clears it.
 * - landUseCode: must be one of the codes mapped from the plot's landUse (after the write). A
 *   change of landUse without a landUseCode moves the code to the new label's default when the
 *   old code does not go with it.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, PlotTable } from '../../kernel/db/schema.ts';
import type { LandUse } from '../../../shared/domain.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { validateParcelCode } from '../../../shared/policy/parcel-code.ts';
import { defaultLandUseCode, landUseClass, landUseCodesFor, landUseMapping } from '../../../shared/land-use-codes.ts';

/** The 2023 用地用海 code with its class name, as the plot detail shows it (public). */
export function landUseCodeOf(code: string) {
  const c = landUseClass(code);
  return { landUseCode: code, landUseCodeNameZh: c?.nameZh ?? code, landUseCodeNameEn: c?.nameEn ?? code };
}

/** The code of the live (not retired) plot, other than `exceptId`, that has this 宗地代码. */
export async function parcelCodeHolder(db: Kysely<Database>, parcelCode: string, exceptId?: number): Promise<string | undefined> {
  let q = db.selectFrom('plots').select('code').where('parcel_code', '=', parcelCode).where('status', '<>', 'retired');
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst())?.code;
}

type Columns = Pick<Insertable<PlotTable>, 'parcel_code' | 'zoning_plot_code' | 'land_use_code'>;

export interface CodesInput {
  parcelCode?: string | null | undefined;
  zoningPlotCode?: string | null | undefined;
  landUseCode?: string | undefined;
}

const refuse = (field: string, messageZh: string, messageEn: string) =>
  badRequest(`${field}: ${messageEn} (${messageZh})`, { field, messageZh, messageEn });

/** 400 naming parcelCode, or the normalised code (null clears). */
export function checkedParcelCode(raw: string | null, districtCode: string): string | null {
  if (raw === null || raw.trim() === '') return null;
  const v = validateParcelCode(raw);
  if (!v.ok) throw refuse('parcelCode', v.messageZh, v.messageEn);
  if (v.districtCode !== districtCode) {
    throw refuse(
      'parcelCode',
      `宗地代码的区县代码 ${v.districtCode} 与地块所在区 ${districtCode} 不一致`,
      `The parcel code's district ${v.districtCode} is not the plot's district ${districtCode}`,
    );
  }
  return v.normalized;
}

/** 400 naming landUseCode when the code does not go with the land use. */
export function checkedLandUseCode(code: string, landUse: LandUse): string {
  const c = code.trim();
  if (!landUseMapping(landUse, c)) {
    const allowed = landUseCodesFor(landUse).join(', ');
    throw refuse('landUseCode', `用地用海代码 ${c} 与用地性质 ${landUse} 不对应，可选：${allowed}`, `Land use code ${c} does not go with land use ${landUse}; allowed: ${allowed}`);
  }
  return c;
}

const zoning = (raw: string | null) => (raw === null ? null : raw.trim() || null);

/** The code columns of a new plot (create). */
export function newPlotCodes(input: CodesInput, landUse: LandUse, districtCode: string): Columns {
  return {
    parcel_code: input.parcelCode === undefined ? null : checkedParcelCode(input.parcelCode, districtCode),
    zoning_plot_code: input.zoningPlotCode === undefined ? null : zoning(input.zoningPlotCode),
    land_use_code: input.landUseCode === undefined ? defaultLandUseCode(landUse) : checkedLandUseCode(input.landUseCode, landUse),
  };
}

/**
 * The code columns an edit changes (only those that change). `current` is the row before, `landUse`
 * and `districtCode` the plot's after the edit.
 */
export function changedPlotCodes(
  input: CodesInput,
  current: { parcel_code: string | null; land_use_code: string; land_use: LandUse },
  landUse: LandUse,
  districtCode: string,
): Columns {
  const cols: Columns = {};
  const parcel = input.parcelCode !== undefined ? input.parcelCode : current.parcel_code;
  // Checked again when only the park moves: the code's district must stay the plot's.
  if (input.parcelCode !== undefined || parcel !== null) {
    const checked = parcel === null ? null : checkedParcelCode(parcel, districtCode);
    if (input.parcelCode !== undefined) cols.parcel_code = checked;
  }
  if (input.zoningPlotCode !== undefined) cols.zoning_plot_code = zoning(input.zoningPlotCode);
  if (input.landUseCode !== undefined) {
    cols.land_use_code = checkedLandUseCode(input.landUseCode, landUse);
  } else if (landUse !== current.land_use && !landUseMapping(landUse, current.land_use_code)) {
    cols.land_use_code = defaultLandUseCode(landUse);
  }
  return cols;
}

/** 409 when another live (not retired) plot has this 宗地代码. */
export function parcelCodeTaken(code: string, otherPlotCode: string): AppError {
  return new AppError(409, 'CONFLICT', `Parcel code ${code} is already the 宗地代码 of plot ${otherPlotCode} (宗地代码 ${code} 已被地块 ${otherPlotCode} 使用).`, {
    reason: 'CODE_EXISTS',
    field: 'parcelCode',
    parcelCode: code,
  });
}
