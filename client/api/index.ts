/**
 * The typed client of the server's `/api`: `http.ts` (fetch, `ApiError`, cancellation) and one
 * file per resource, each typed from shared/contract (type-only imports: no schema and nothing
 * of the server enters the bundle). Screens import from here.
 */
export * from './http.ts';
export * from './geojson.ts';
export * from './map.ts';
export * from './meta.ts';
export * from './parks.ts';
export * from './plots.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './audit.ts';
export * from './quotes.ts';
export * from './reference.ts';
export * from './search.ts';
export * from './interests.ts';
export * from './allocations.ts';
export * from './quotas.ts';
export * from './holds.ts';
export * from './imports.ts';
export * from './exports.ts';
export * from './dashboards.ts';
export * from './subsidies.ts';
export * from './performance.ts';
export * from './supervision.ts';
export * from './demands.ts';
export * from './siting.ts';
