/**
 * Builders for the project land demand tests (demands*.test.ts): a valid demand body, dates
 * relative to the bureau's today, and the audit events of one demand.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bureauToday } from '../../shared/dates.ts';
import { uscc } from './allocation-helpers.ts';
import { call, type Session } from './login.ts';

export const inDays = (n: number) => {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** 1 亩 = 2000/3 m². */
export const M2_PER_MU = 2000 / 3;

export function demandBody(o: Record<string, unknown> = {}, requirements: Record<string, unknown> = {}) {
  return {
    projectName: '测试生物医药产业化项目',
    enterprise: { name: '广州测试生物科技有限公司', uscc: uscc(9001) },
    neededBy: inDays(90),
    requirements: { sector: 'biomed', areaMuMin: 10, areaMuMax: 200, ...requirements },
    ...o,
  };
}

/** Records a demand as `s`; returns its body (201 expected). */
export async function createDemand(app: FastifyInstance, s: Session, body: unknown) {
  const r = await call(app, s, 'POST', '/api/demands', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** The actions of a demand's audit events, oldest first. */
export async function demandEvents(app: FastifyInstance, s: Session, id: number): Promise<string[]> {
  const r = await call(app, s, 'GET', `/api/audit?entity=land_demand&entityId=${id}&limit=50`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.items as { action: string }[]).map((e) => e.action).reverse();
}

export async function demandCount(app: FastifyInstance): Promise<number> {
  const rows = await app.db.selectFrom('land_demands').select('id').execute();
  return rows.length;
}
