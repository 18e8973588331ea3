/**
 * One geometry module: types and limits, the one validator, the one area model (the EPSG:4547
 * plane area), coordinate systems, bounding boxes, editor operations and park boundaries.
 * Pure: no I/O. Positions are WGS84 [lon, lat] (RFC 7946).
 */
export * from './types.ts';
export * from './crs.ts';
export * from './bbox.ts';
export * from './area.ts';
export * from './spatial.ts';
export * from './validate.ts';
export * from './edit.ts';
export * from './park-boundary.ts';
