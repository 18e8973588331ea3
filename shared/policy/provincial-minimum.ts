/**
 * The provincial minimum price for industrial land (省规定的土地出让最低价), P in 五(三)14's floor
 * ("不低于国家、省规定的土地出让最低价"): yuan per m² of land, 50-year industrial use, by land grade
 * (等别) like the national table; term-corrected like N. Reference data the bureau maintains
 * (versioned on the server, kind `provincial_minimum`).
 *
 * Guangdong's figures were not available when this was built, so the shipped table is EMPTY:
 * with no provincial figure for a plot's grade the term is absent and every answer says so. The
 * bureau enters the figures in the reference screen (/bureau/reference), citing the document.
 */
export interface ProvincialMinimumGrade {
  /** 土地等别, 1 (highest) … 15. */
  readonly grade: number;
  /** Minimum price, yuan per m² of land, 50-year industrial use. */
  readonly yuanPerM2: number;
  /** Confirmed by the bureau against the provincial document. */
  readonly verified: boolean;
  readonly source: string;
}

/** The shipped provincial table: empty (no Guangdong figures were available). */
export const PROVINCIAL_MINIMUM_GRADES: readonly ProvincialMinimumGrade[] = [];

/** Where the shipped (empty) version says it comes from. */
export const PROVINCIAL_MINIMUM_SEED_SOURCE =
  'No figures: Guangdong’s 省规定的土地出让最低价 were not available — the bureau enters them (verified: false until confirmed)';
