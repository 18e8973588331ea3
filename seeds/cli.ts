/**
 * `npm run db:seed` — seeds districts, parks and demo plots into DATABASE_URL or DATA_DIR.
 *   npm run db:seed                       # base data + demo plots if the plots table is empty
 *   npm run db:seed -- --plots 1000000    # replace the sample plots by exactly N (benchmarks):
 *                                         # from 20,000 on, the realistic scale dataset (zones)
 *   npm run db:seed -- --plots 5000 --layout zones   # force the layout (zones | parks)
 *   npm run db:seed -- --seed other       # another deterministic sample
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { prepareDatabase } from '../server/kernel/db/prepare.ts';
import { SCALE_THRESHOLD, seedDatabase } from './load.ts';

const { values } = parseArgs({
  options: { plots: { type: 'string' }, seed: { type: 'string' }, layout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(`Usage: npm run db:seed [-- --plots N] [--layout zones|parks] [--seed TEXT]

  (no options)      districts, parks, reference data, and the demo (sample plots, accounts,
                    allocations…) when the database has no plots yet
  --plots N         replace every sample plot by exactly N (0–1,000,000), for benchmarks
  --layout zones    the realistic scale dataset: the 12 parks keep their few hundred demo plots,
                    the rest are parcels of 500–50,000 m² (median ≈ 3,000 m²) tiling generated
                    zones (tier "zone", sample, hidden on the map unless asked) over the 11
                    districts. The default from N = ${SCALE_THRESHOLD.toLocaleString('en')}.
  --layout parks    all N plots packed into the 12 parks (small plots; the default below that)
  --seed TEXT       another deterministic sample (same seed → same rows)`);
  process.exit(0);
}
if (values.layout !== undefined && values.layout !== 'zones' && values.layout !== 'parks') {
  console.error(`--layout must be "zones" or "parks", got "${values.layout}".`);
  process.exit(2);
}
let plots: number | undefined;
if (values.plots !== undefined) {
  plots = Number(values.plots);
  if (!Number.isInteger(plots) || plots < 0 || plots > 1_000_000) {
    console.error(`--plots must be an integer between 0 and 1000000, got "${values.plots}".`);
    process.exit(2);
  }
}

const config = loadConfig();
const handle = await connectDatabase(config);
try {
  await prepareDatabase(handle, config); // migrations, grants, the audit key
  const t0 = performance.now();
  // As the tables' owner: a big zones load may then drop and rebuild the plots' secondary
  // indexes around the insert (seeds/load.ts insertScale), several times faster.
  const report = await handle.asOwner((db) => seedDatabase(db, {
    demo: true,
    live: true,
    plots,
    seed: values.seed,
    zones: values.layout === undefined ? undefined : values.layout === 'zones',
    onProgress: (done, total) =>
      console.log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} zone parcels, ${((performance.now() - t0) / 1000).toFixed(1)} s`),
  }));
  console.log(
    `Seeded ${handle.kind}: ${report.districts} districts, ${report.parks} parks, ${report.plots} sample plots` +
      (report.zones ? ` (${report.zones} generated zones)` : '') +
      (report.removedSamplePlots ? ` (replaced ${report.removedSamplePlots})` : '') +
      ` in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
  );
} finally {
  await handle.close();
}
