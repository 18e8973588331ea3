/**
 * A third-party client, written as an integrator would write one (README, API): types generated
 * from the served document by openapi-typescript (./api.d.ts, written by the test), calls made
 * with openapi-fetch. Nothing here imports the project's own code. tests/api/openapi-client.test.ts
 * type-checks this file against freshly generated types (tsc -p ./tsconfig.json) and then runs it
 * against the live server, so a document that no longer describes these calls fails the test.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api.d.ts';

export type Api = Client<paths>;
export type ProposeBody = paths['/api/allocations']['post']['requestBody']['content']['application/json'];
export type ApiError = components['schemas']['Error'];

/** A client for the server at `baseUrl`; writes need the session cookie and the app's own Origin. */
export function connect(baseUrl: string, headers: Record<string, string> = {}): Api {
  return createClient<paths>({ baseUrl, headers });
}

/** Signs in; the session is the `iab_session` cookie of the answer. */
export async function signIn(api: Api, username: string, password: string) {
  const { data, error, response } = await api.POST('/api/auth/login', { body: { username, password } });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('iab_session='))?.split(';')[0];
  return { data, error, status: response.status, cookie };
}

export async function listPlots(api: Api, parkId: number) {
  const { data, error, response } = await api.GET('/api/plots', { params: { query: { parkId, status: 'available' } } });
  return { data, error, status: response.status };
}

export async function quoteFloor(api: Api, plotId: number, iab: boolean) {
  const { data, error, response } = await api.POST('/api/quotes/price-floor', { body: { plotId, iab, termYears: 50 } });
  return { data, error, status: response.status };
}

export async function setQuota(api: Api, year: number, quotaM2: number, iabReserveM2: number) {
  const { data, error, response } = await api.PUT('/api/quotas/{year}', { params: { path: { year } }, body: { quotaM2, iabReserveM2 } });
  return { data, error, status: response.status };
}

export async function propose(api: Api, body: ProposeBody) {
  const { data, error, response } = await api.POST('/api/allocations', { body });
  return { data, error, status: response.status };
}

export async function approve(api: Api, id: number) {
  const { data, error, response } = await api.POST('/api/allocations/{id}/approve', { params: { path: { id } } });
  return { data, error, status: response.status };
}

export async function readQuota(api: Api, year: number) {
  const { data, error, response } = await api.GET('/api/quotas/{year}', { params: { path: { year } } });
  return { data, error, status: response.status };
}

/**
 * Never called: calls the generated types must refuse. If the document lost its precision (a body
 * typed as anything, a path that vanished), these lines would compile and tsc would report each
 * unused `@ts-expect-error` — the test fails either way.
 */
export async function refusedByTheTypes(api: Api) {
  // @ts-expect-error the quota needs iabReserveM2 as well
  await api.PUT('/api/quotas/{year}', { params: { path: { year: 2030 } }, body: { quotaM2: 4_000_000 } });
  // @ts-expect-error an allocation's mode is one of four values
  await api.POST('/api/allocations', { body: { plotId: 1, quotaYear: 2030, mode: 'gift', termYears: 50, priceYuan: 1, project: { name: 'x', enterprise: { name: 'x', uscc: 'x' }, sector: 'ai', iab: true } } });
  // @ts-expect-error no such path
  await api.GET('/api/plot');
  const { data } = await api.GET('/api/quotas/{year}', { params: { path: { year: 2030 } } });
  // @ts-expect-error remainingM2 is a number
  const remaining: string | undefined = data?.remainingM2;
  return remaining;
}
