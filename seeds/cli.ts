/**
 * `npm run db:seed` — seeds districts, parks and demo plots into DATABASE_URL or DATA_DIR.
 *   npm run db:seed                     # base data + demo plots if the plots table is empty
 *   npm run db:seed -- --plots 100000   # replace the sample plots by exactly N (benchmarks)
 *   npm run db:seed -- --seed other     # another deterministic sample
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { prepareDatabase } from '../server/kernel/db/prepare.ts';
import { seedDatabase } from './load.ts';

const { values } = parseArgs({
  options: { plots: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('Usage: npm run db:seed [-- --plots N] [--seed TEXT]');
  process.exit(0);
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
  const report = await seedDatabase(handle.db, { demo: true, plots, seed: values.seed });
  console.log(
    `Seeded ${handle.kind}: ${report.districts} districts, ${report.parks} parks, ${report.plots} sample plots` +
      (report.removedSamplePlots ? ` (replaced ${report.removedSamplePlots})` : '') +
      ` in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
  );
} finally {
  await handle.close();
}
