/**
 * The public API changes only on purpose: the served OpenAPI document, with its free-text
 * descriptions set aside, must equal the committed snapshot api/openapi.snapshot.json. Paths,
 * methods, operation ids, parameters, schemas, enums, status codes, tags and examples may not
 * change unnoticed; descriptions may be added or reworded.
 * To change the contract on purpose, regenerate the snapshot (UPDATE_OPENAPI_SNAPSHOT=1, or the
 * older UPDATE_OPENAPI_BASELINE=1), list the change in CHANGELOG.md (breaking or not) and say why
 * in the commit.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';

const SNAPSHOT = new URL('../../api/openapi.snapshot.json', import.meta.url);
const UPDATE = process.env.UPDATE_OPENAPI_SNAPSHOT === '1' || process.env.UPDATE_OPENAPI_BASELINE === '1';
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
  it('equals the committed snapshot api/openapi.snapshot.json with descriptions set aside', async () => {
    await get().app.ready();
    const served = withoutDescriptions(JSON.parse(JSON.stringify(get().app.swagger())));
    if (UPDATE) fs.writeFileSync(SNAPSHOT, JSON.stringify(served, null, 1) + '\n');
    const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as Json;
    expect(served).toEqual(snapshot);
  });
});
