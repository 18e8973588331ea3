/**
 * The public API stays byte-compatible while the code is reshaped: the served OpenAPI document,
 * with its free-text descriptions set aside, must equal the committed baseline
 * (tests/api/fixtures/openapi.baseline.json). Paths, methods, parameters, schemas, enums,
 * status codes and tags may not change; only descriptions may be added or reworded.
 * To change the contract on purpose, regenerate the baseline (UPDATE_OPENAPI_BASELINE=1) and say
 * why in the commit.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';

const BASELINE = new URL('./fixtures/openapi.baseline.json', import.meta.url);
type Json = unknown;

/** The document without `description` keys (free text), so rewording one is not a contract change. */
export function withoutDescriptions(doc: Json): Json {
  if (Array.isArray(doc)) return doc.map(withoutDescriptions);
  if (doc && typeof doc === 'object') {
    return Object.fromEntries(
      Object.entries(doc as Record<string, Json>)
        .filter(([k, v]) => !(k === 'description' && typeof v === 'string'))
        .map(([k, v]) => [k, withoutDescriptions(v)]),
    );
  }
  return doc;
}

describeOnDatabases('the OpenAPI document is unchanged but for descriptions', (get) => {
  it('equals the committed baseline with descriptions set aside', async () => {
    await get().app.ready();
    const served = withoutDescriptions(JSON.parse(JSON.stringify(get().app.swagger())));
    if (process.env.UPDATE_OPENAPI_BASELINE === '1') fs.writeFileSync(BASELINE, JSON.stringify(served, null, 1) + '\n');
    const baseline = JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as Json;
    expect(served).toEqual(baseline);
  });
});
