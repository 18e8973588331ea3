/**
 * Reference data the bureau maintains: the current set for everyone, past and present versions
 * for the bureau, new versions and the official benchmark table import (CSV) for administrators.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { BenchmarkPriceRow, ConfirmedParameter, ConfirmParameterBody, DistrictGradeRow, Kind, NationalMinimumRow, ParameterRow, ReferenceData, VersionInfo } from '../../../shared/contract/reference.ts';
import { AppError } from '../../kernel/errors.ts';
import { callerOf } from '../../kernel/http.ts';
import { localCrsRoutes } from './local-crs-routes.ts';
import { addVersion, confirmParameter, importBenchmarkCsv, listVersions, loadReference, type VersionInput } from './service.ts';

const Row = Type.Record(Type.String(), Type.Unknown());
const EffectiveDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  localCrsRoutes(app);

  app.get('/reference', {
    config: { access: 'public' },
    schema: {
      tags: ['reference'],
      operationId: 'reference.get',
      summary: 'The reference data in force today (or on ?asOf=YYYY-MM-DD): parameters, national and provincial minimum grades, district grades, benchmark prices',
      querystring: Type.Object({ asOf: Type.Optional(EffectiveDate) }),
      response: {
        200: ReferenceData,
        ...errors(400, 503),
      },
    },
  }, async (req) => {
    const { params: _p, ...ref } = await loadReference(app.db, req.query.asOf);
    return ref;
  });

  app.get('/reference/:kind/versions', {
    config: { access: ['admin', 'land_officer'] },
    schema: {
      tags: ['reference'],
      operationId: 'reference.listVersions',
      summary: 'Every version of one kind of reference data, newest first, with its rows',
      params: Type.Object({ kind: Kind }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...VersionInfo.properties, current: Type.Boolean(), rows: Type.Array(Type.Union([ParameterRow, NationalMinimumRow, DistrictGradeRow, BenchmarkPriceRow])) })) }), ...errors(400, 401, 403) },
    },
  }, async (req) => ({ items: await listVersions(app.db, req.params.kind) }));

  app.post('/reference/:kind/versions', {
    config: { access: ['admin'] },
    schema: {
      tags: ['reference'],
      operationId: 'reference.addVersion',
      summary: 'Add a version (rows merged over the current version; the old version is kept)',
      description:
        'parameters: `values` {key: value} (+ `verified`); national_minimum: `rows` [{grade, yuanPerM2, verified?}]; ' +
        'district_grades: `rows` [{districtCode, grade, verified?, note?}]; benchmark_prices: `rows` [{districtCode, landLevel, yuanPerM2}] (+ `sample`); ' +
        'provincial_minimum: `rows` [{grade, yuanPerM2 | null (removes the grade), verified? (default false)}].',
      params: Type.Object({ kind: Kind }),
      body: Type.Object(
        {
          effectiveFrom: EffectiveDate,
          source: Type.String({ minLength: 1, maxLength: 500, description: 'Where the figures come from (document number, table)' }),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
          values: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.Boolean(), Type.String()]))),
          verified: Type.Optional(Type.Boolean()),
          sample: Type.Optional(Type.Boolean()),
          rows: Type.Optional(Type.Array(Row, { maxItems: 10_000 })),
        },
        { additionalProperties: false },
      ),
      response: { 201: VersionInfo, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const { kind } = req.params;
    const b = req.body;
    const needs = kind === 'parameters' ? 'values' : 'rows';
    if (b[needs] === undefined) throw new AppError(400, 'VALIDATION_FAILED', `A ${kind} version needs "${needs}".`);
    const input = (kind === 'parameters'
      ? { kind, values: b.values, verified: b.verified }
      : kind === 'benchmark_prices'
        ? { kind, rows: b.rows, sample: b.sample }
        : { kind, rows: b.rows }) as VersionInput;
    const version = await addVersion(app.db, callerOf(req), { version: input, meta: { effectiveFrom: b.effectiveFrom, source: b.source, note: b.note } });
    return reply.code(201).send(version);
  });

  app.post('/reference/parameters/:key/confirm', {
    config: { access: ['admin'] },
    schema: {
      tags: ['reference'],
      operationId: 'reference.confirmParameter',
      summary: 'Confirm one parameter (verified: true): a new parameters version effective today with the same values, audited',
      description: 'For a parameter shipped as `verified: false` (a national rule or a bureau assumption). `source` names what it was confirmed against (default: the recorded source). 409 when it is already verified.',
      params: Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }) }),
      body: Type.Optional(ConfirmParameterBody),
      response: { 201: ConfirmedParameter, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const version = await confirmParameter(app.db, callerOf(req), { ...req.body, key: req.params.key });
    return reply.code(201).send(version);
  });

  app.post('/reference/benchmark_prices/import', {
    config: { access: ['admin'] },
    schema: {
      tags: ['reference'],
      operationId: 'reference.importBenchmarkPrices',
      summary: 'Import the official benchmark price table from CSV (district_code, land_level, yuan_per_m2); replaces the whole table as a new version',
      description: 'Send the file as the body with Content-Type text/csv (UTF-8, BOM allowed). Row-level errors come back as 400 with `errors: [{ line, field, messageZh, messageEn }]`; nothing is saved then.',
      querystring: Type.Object({
        effectiveFrom: EffectiveDate,
        source: Type.String({ minLength: 1, maxLength: 500 }),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
        sample: Type.Optional(Type.Boolean({ description: 'true if the table is not official (default false)' })),
      }),
      body: Type.String({ description: 'CSV text' }),
      response: { 201: Type.Object({ version: VersionInfo, rows: Type.Integer() }), ...errors(400, 401, 403, 413, 415) },
    },
  }, async (req, reply) => {
    const q = req.query;
    const result = await importBenchmarkCsv(app.db, callerOf(req), { csv: req.body, meta: { effectiveFrom: q.effectiveFrom, source: q.source, note: q.note, sample: q.sample } });
    if ('errors' in result) {
      const first = result.errors.slice(0, 3).map((e) => `line ${e.line} ${e.field}: ${e.messageEn}`).join('; ');
      throw new AppError(400, 'VALIDATION_FAILED', `The CSV has ${result.errors.length} error(s): ${first}. Nothing was imported.`, { errors: result.errors });
    }
    return reply.code(201).send(result);
  });
};

export default referenceRoutes;
