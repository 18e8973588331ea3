/**
 * The ordered list of migrations. A static list (not a folder scan) so the same files run under
 * tsx, in tests and in any bundle. Names sort in the order they apply; never rename one.
 */
import type { Migration } from 'kysely';
import * as m001 from './001_core.ts';
import * as m002 from './002_reference_data.ts';
import * as m003 from './003_accounts.ts';
import * as m004 from './004_allocations.ts';
import * as m005 from './005_subsidies.ts';
import * as m006 from './006_plot_versions.ts';
import * as m007 from './007_interests.ts';
import * as m008 from './008_floor_disclosure.ts';
import * as m009 from './009_retired_plots.ts';
import * as m010 from './010_allocation_decisions.ts';
import * as m011 from './011_park_projects_provenance.ts';
import * as m012 from './012_security.ts';
import * as m013 from './013_quota_minimum_as_parameter.ts';
import * as m014 from './014_plot_conditions.ts';
import * as m015 from './015_idle_land.ts';
import * as m016 from './016_inspections.ts';
import * as m017 from './017_performance.ts';
import * as m018 from './018_adjusted_start.ts';
import * as m019 from './019_hubs.ts';
import * as m020 from './020_demands.ts';
import * as m021 from './021_zone_tier.ts';
import * as m022 from './022_postgis.ts';
import * as m023 from './023_approval_fn.ts';
import * as m024 from './024_rate_limits.ts';
import * as m025 from './025_approvals_fast.ts';
import * as m026 from './026_parcel_codes.ts';
import * as m027 from './027_local_crs.ts';
import * as m028 from './028_label_points.ts';
import * as m029 from './029_approval_charge_year.ts';
import * as m030 from './030_conditions_check_cached.ts';
import * as m031 from './031_plot_list_feature.ts';
import * as m032 from './032_charge_figures.ts';

export const migrations: Record<string, Migration> = {
  '001_core': m001,
  '002_reference_data': m002,
  '003_accounts': m003,
  '004_allocations': m004,
  '005_subsidies': m005,
  '006_plot_versions': m006,
  '007_interests': m007,
  '008_floor_disclosure': m008,
  '009_retired_plots': m009,
  '010_allocation_decisions': m010,
  '011_park_projects_provenance': m011,
  '012_security': m012,
  '013_quota_minimum_as_parameter': m013,
  '014_plot_conditions': m014,
  '015_idle_land': m015,
  '016_inspections': m016,
  '017_performance': m017,
  '018_adjusted_start': m018,
  '019_hubs': m019,
  '020_demands': m020,
  '021_zone_tier': m021,
  '022_postgis': m022,
  '023_approval_fn': m023,
  '024_rate_limits': m024,
  '025_approvals_fast': m025,
  '026_parcel_codes': m026,
  '027_local_crs': m027,
  '028_label_points': m028,
  '029_approval_charge_year': m029,
  '030_conditions_check_cached': m030,
  '031_plot_list_feature': m031,
  '032_charge_figures': m032,
};
