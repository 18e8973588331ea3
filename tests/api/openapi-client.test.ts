/**
 * A third-party client that works (issue #19): types generated from the served document with
 * openapi-typescript, calls made with openapi-fetch over real HTTP (tests/api/openapi-client/
 * client.ts, which imports nothing of the project). The test fails if the generated types do not
 * compile against the calls (tsc on the client) or if an answer does not match its schema in the
 * document. Flows: sign in, list plots, quote a floor, set the quota, propose then approve, read
 * the quota.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import openapiTS, { astToString } from 'openapi-typescript';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { APP_ORIGIN, DEMO_PASSWORD } from './login.ts';
import { freshPlots, proposal } from './allocation-helpers.ts';
import { servedDocument, type Doc } from './openapi-helpers.ts';

const CLIENT_DIR = path.resolve(import.meta.dirname, 'openapi-client');

describeOnDatabases('a third-party client generated from the OpenAPI document', (get) => {
  let doc: Doc;
  let base = '';
  // Loaded by URL once its types exist: the root tsconfig leaves the client out (its own tsc run checks it).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client's types are checked by that run, not here
  let client: Record<'connect' | 'signIn' | 'listPlots' | 'quoteFloor' | 'setQuota' | 'propose' | 'approve' | 'readQuota', (...args: any[]) => any>;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

  /** Asserts that `body` is what the document says `METHOD path` answers with `status`. */
  function expectDocumented(method: string, route: string, status: number, body: unknown) {
    const schema = doc.paths[route]?.[method]?.responses?.[String(status)]?.content?.['application/json']?.schema as Doc | undefined;
    expect(schema, `${method.toUpperCase()} ${route} documents ${status}`).toBeDefined();
    const validate = ajv.compile({ ...schema, components: doc.components });
    expect(validate(body), `${method.toUpperCase()} ${route} ${status}: ${JSON.stringify(validate.errors?.slice(0, 5))}`).toBe(true);
  }

  beforeAll(async () => {
    const { app } = get();
    doc = await servedDocument(app);
    // openapi-typescript, as the README tells an integrator to run it (here on the document already fetched).
    fs.writeFileSync(path.join(CLIENT_DIR, 'api.d.ts'), `// Generated from /api/docs/json by openapi-typescript; do not edit.\n${astToString(await openapiTS(doc as never))}`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    client = (await import(pathToFileURL(path.join(CLIENT_DIR, 'client.ts')).href)) as typeof client;
  });

  it('compiles: the calls type-check against the generated types, and wrong calls do not', () => {
    const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(CLIENT_DIR, 'tsconfig.json')], { encoding: 'utf8', timeout: 180_000 });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });

  it('signs in, lists plots, quotes a floor, sets the quota, proposes, approves and reads the quota', async () => {
    const anonymous = client.connect(base);

    // Sign in: two officers, since with APPROVAL_FOUR_EYES (on with PostgreSQL) the proposer may not approve.
    const land = await client.signIn(anonymous, 'land', DEMO_PASSWORD);
    expect(land.status, JSON.stringify(land.error)).toBe(200);
    expectDocumented('post', '/api/auth/login', 200, land.data);
    expect(land.cookie).toMatch(/^iab_session=/);
    const admin = await client.signIn(anonymous, 'admin', DEMO_PASSWORD);
    expect(admin.status).toBe(200);
    const wrong = await client.signIn(anonymous, 'land', 'not the password');
    expect(wrong.status).toBe(401);
    expectDocumented('post', '/api/auth/login', 401, wrong.error);
    expect(wrong.error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    // Writes carry the session cookie and the app's own Origin (API.md, security conventions).
    const asLand = client.connect(base, { cookie: land.cookie!, origin: APP_ORIGIN });
    const asAdmin = client.connect(base, { cookie: admin.cookie!, origin: APP_ORIGIN });

    // List plots: a fresh available plot with a recorded cost is among its park's available plots.
    const [plot] = await freshPlots(get().app, 1);
    const parkId = (await get().app.db.selectFrom('plots').select('park_id').where('id', '=', plot!.id).executeTakeFirstOrThrow()).park_id;
    const plots = await client.listPlots(anonymous, parkId);
    expect(plots.status).toBe(200);
    expectDocumented('get', '/api/plots', 200, plots.data);
    expect(plots.data!.features.map((f: { properties: { id: number } }) => f.properties.id)).toContain(plot!.id);

    // Quote the floor: the public gets the indicative floor, the land officer the one to propose at.
    const publicQuote = await client.quoteFloor(anonymous, plot!.id, true);
    expect(publicQuote.status).toBe(200);
    expectDocumented('post', '/api/quotes/price-floor', 200, publicQuote.data);
    const quote = await client.quoteFloor(asLand, plot!.id, true);
    expect(quote.status).toBe(200);
    expectDocumented('post', '/api/quotes/price-floor', 200, quote.data);
    const floorYuan = quote.data!.floorYuan;
    expect(floorYuan).toBeGreaterThan(0);

    // A quota for the year, then propose at the floor and approve.
    const year = 2093;
    const quota = await client.setQuota(asLand, year, 4_000_000, 1_000_000);
    expect(quota.status, JSON.stringify(quota.error)).toBe(200);
    expectDocumented('put', '/api/quotas/{year}', 200, quota.data);
    const tooLow = await client.setQuota(asLand, year, 1000, 0);
    expect(tooLow.status).toBe(400);
    expectDocumented('put', '/api/quotas/{year}', 400, tooLow.error);

    const body = proposal(plot!.id, year, floorYuan);
    const below = await client.propose(asLand, { ...body, priceYuan: Math.floor(floorYuan / 2) });
    expect(below.status).toBe(422);
    expectDocumented('post', '/api/allocations', 422, below.error);
    expect(below.error).toMatchObject({ code: 'BELOW_PRICE_FLOOR' });
    const proposed = await client.propose(asLand, body);
    expect(proposed.status, JSON.stringify(proposed.error)).toBe(201);
    expectDocumented('post', '/api/allocations', 201, proposed.data);
    expect(proposed.data).toMatchObject({ status: 'proposed', plotId: plot!.id, quotaYear: year });

    const approved = await client.approve(asAdmin, proposed.data!.id);
    expect(approved.status, JSON.stringify(approved.error)).toBe(200);
    expectDocumented('post', '/api/allocations/{id}/approve', 200, approved.data);
    expect(approved.data).toMatchObject({ id: proposed.data!.id, status: 'approved' });

    // Read the quota: the approval is charged.
    const read = await client.readQuota(anonymous, year);
    expect(read.status).toBe(200);
    expectDocumented('get', '/api/quotas/{year}', 200, read.data);
    expect(read.data).toMatchObject({ year, quotaM2: 4_000_000, approvedM2: approved.data!.areaM2 });
    expect(read.data!.remainingM2).toBeCloseTo(4_000_000 - approved.data!.areaM2, 2);
    const unset = await client.readQuota(anonymous, 2094);
    expect(unset.status).toBe(404);
    expectDocumented('get', '/api/quotas/{year}', 404, unset.error);
  });
});
