/**
 * The district review dashboard (`/district/:code` in the web app), the bureau's city overview
 * (`/bureau/parks`), their CSV exports and the printable park report. Read-only; figures and
 * definitions in ./service.ts.
 *
 * Access: a district's own officers and the bureau (admin, land and industry officers) see a
 * district; another district's officer gets 403, an anonymous caller 401. The city overview is
 * for the bureau only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CITY_WIDE_ROLES, PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { BureauParks, CsvFile, DashboardQuery, DistrictDashboard, DistrictParams, ParkReport } from '../../../shared/contract/dashboards.ts';
import { callerOf } from '../../kernel/http.ts';
import { bureauParks, districtDashboard, parkReport } from './service.ts';
import { attachment, dashboardCsv, reportCsv } from './csv.ts';
import { monitoringReport } from './report.ts';
import { MonitoringReport, ReportQuery } from '../../../shared/contract/monitoring.ts';
import { Type } from 'typebox';

const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['dashboards'];
  const district = PERMISSIONS['districts.dashboard'];
  const csvHeaders = (reply: { header: (k: string, v: string) => unknown; type: (t: string) => unknown }, ascii: string, utf8: string) => {
    reply.type('text/csv; charset=utf-8');
    reply.header('content-disposition', attachment(ascii, utf8));
    reply.header('cache-control', 'no-store');
  };

  app.get('/districts/:code/dashboard', {
    config: { access: district },
    schema: {
      tags,
      operationId: 'dashboards.district',
      summary: 'A district’s dashboard: per park land, quota charged this year, subsidy against the cap, projects signed and landed, lead-sector share, overdue starts; with totals',
      params: DistrictParams,
      querystring: DashboardQuery,
      response: { 200: DistrictDashboard, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => districtDashboard(app.db, callerOf(req), { code: req.params.code, year: req.query.year }));

  app.get('/districts/:code/dashboard.csv', {
    config: { access: district },
    schema: {
      tags,
      operationId: 'dashboards.districtCsv',
      summary: 'The district dashboard table as CSV (UTF-8 with BOM; areas in 亩, money in yuan; Chinese and English headers)',
      params: DistrictParams,
      querystring: DashboardQuery,
      response: { 200: CsvFile, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const d = await districtDashboard(app.db, callerOf(req), { code: req.params.code, year: req.query.year });
    csvHeaders(reply, `dashboard-${d.district.code}-${d.year}.csv`, `${d.district.nameZh}-园区看板-${d.year}.csv`);
    return reply.send(dashboardCsv(d));
  });

  app.get('/bureau/parks', {
    config: { access: CITY_WIDE_ROLES },
    schema: {
      tags,
      operationId: 'dashboards.city',
      summary: 'City overview: every park with the dashboard figures, and the city totals',
      querystring: DashboardQuery,
      response: { 200: BureauParks, ...errors(400, 401, 403) },
    },
  }, async (req) => bureauParks(app.db, { year: req.query.year }));

  app.get('/bureau/parks.csv', {
    config: { access: CITY_WIDE_ROLES },
    schema: {
      tags,
      operationId: 'dashboards.cityCsv',
      summary: 'The city overview table as CSV (UTF-8 with BOM; areas in 亩, money in yuan; Chinese and English headers)',
      querystring: DashboardQuery,
      response: { 200: CsvFile, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const d = await bureauParks(app.db, { year: req.query.year });
    csvHeaders(reply, `parks-${d.year}.csv`, `广州市价值创新园区-${d.year}.csv`);
    return reply.send(dashboardCsv(d));
  });

  app.get('/parks/:id/report', {
    config: { access: district },
    schema: {
      tags,
      operationId: 'dashboards.parkReport',
      summary: 'Everything the printable one-page park report shows: the park’s dashboard row, its subsidies and its overdue starts',
      description: 'A district officer sees only the parks of their own district (403 elsewhere).',
      params: IdParams,
      querystring: DashboardQuery,
      response: { 200: ParkReport, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => parkReport(app.db, callerOf(req), { parkId: req.params.id, year: req.query.year }));

  app.get('/supervision/report', {
    config: { access: PERMISSIONS['supervision.read'] },
    schema: {
      tags: ['supervision'],
      operationId: 'supervision.report',
      summary: 'The yearly monitoring report, per district or for the city: per park land left and allocated, projects signed and landed, idle land, 亩均 grades, 标准地 conditions unmet, inspections; with totals',
      description: 'format=csv: the same as CSV (UTF-8 with BOM, Chinese and English headers). A district officer sees only their own district (403 for another district or the city; omitted districtCode = their own).',
      querystring: ReportQuery,
      response: { 200: Type.Union([MonitoringReport, CsvFile]), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const r = await monitoringReport(app.db, callerOf(req), { year: req.query.year, districtCode: req.query.districtCode });
    if (req.query.format !== 'csv') return r;
    const where = r.scope.districtCode ?? 'city';
    csvHeaders(reply, `monitoring-${where}-${r.year}.csv`, `${r.scope.nameZh}-园区监测报告-${r.year}.csv`);
    return reply.send(reportCsv(r));
  });
};

export default dashboardRoutes;
