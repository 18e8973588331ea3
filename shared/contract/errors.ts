/**
 * The API's error vocabulary. Every error answer is `{ statusCode, error, code, message, ...details }`
 * (ARCHITECTURE.md, HTTP API): `code` is one of {@link ERROR_CODES}, stable and upper-snake;
 * where one code covers several situations, `details.reason` (one of {@link ERROR_REASONS}) says
 * which, so a client can react without parsing the message. The server types its `AppError`
 * with these unions and the client its `ApiError`, so a new reason is added here first.
 *
 * Pure values and types, no schema: the client may import this file without TypeBox.
 */

/** Every `code`, with the statuses it comes with and what it means. */
export const ERROR_CODE_TEXT = {
  VALIDATION_FAILED: '400 (413/422 for some imports): the request is not valid; `field` names the input where known, `reason` says which rule',
  NOT_FOUND: '404: no such route or record',
  UNAUTHENTICATED: '401: no live session, or wrong credentials (`reason` SESSION_REQUIRED or INVALID_CREDENTIALS)',
  FORBIDDEN: '403: signed in but not allowed (`reason` ROLE_NOT_ALLOWED, OUT_OF_SCOPE, CROSS_ORIGIN_WRITE, PASSWORD_CHANGE_REQUIRED, NOT_ASSIGNEE)',
  CONFLICT: '409 (422 for IDEMPOTENCY_KEY_REUSED and some edits): the request conflicts with stored data; `reason` says how',
  RATE_LIMITED: '429: too many requests from this address; wait `retryAfterS` seconds (header Retry-After)',
  PAYLOAD_TOO_LARGE: '413: the body or the uploaded file is over the size limit',
  UNSUPPORTED_MEDIA_TYPE: '415: the body is not of a content type the route takes (e.g. multipart/form-data for uploads, JPEG or PNG for photos)',
  QUOTA_EXCEEDED: '409: an approval would exceed the year’s quota, or use the IAB reserve for a non-IAB project',
  BELOW_PRICE_FLOOR: '422: the price is below the land price floor in force (the floor and its binding term are named)',
  PLOT_UNAVAILABLE: '409: the plot is allocated, withdrawn, retired or held for another applicant',
  SUPERSEDED: '409: another proposal for the plot was approved and closed this one (`supersededBy`)',
  FOUR_EYES: '409: the proposer of an allocation may not approve it (APPROVAL_FOUR_EYES)',
  SUBSIDY_CAP_EXCEEDED: '409: no subsidy headroom is left (20 % of the project’s investment, 1亿 per park)',
  FACILITIES_RATIO_EXCEEDED: '422: supporting facilities would exceed 15 % of a park-operator project’s floor area',
  COST_NOT_RECORDED: '422: the plot has no recorded land cost, so no floor can be computed for a proposal or an approval',
  INTERNAL: '500: a fault of the server; quote the request id (header x-request-id) to the administrator',
  SERVICE_UNAVAILABLE: '503: the database does not answer, or no reference data is in effect for the day asked',
} as const satisfies Record<string, string>;
export type ErrorCode = keyof typeof ERROR_CODE_TEXT;
export const ERROR_CODES = Object.keys(ERROR_CODE_TEXT) as readonly ErrorCode[];

/**
 * Every `details.reason`, with what it means (its status first): the OpenAPI document's `Error`
 * schema lists them, so an integrator reads them there. A new reason is added here, with its text.
 */
export const ERROR_REASON_TEXT = {
  // Sessions and access (401/403/429)
  SESSION_REQUIRED: '401: the route needs a signed-in user and the request has no live session',
  INVALID_CREDENTIALS: '401: unknown username, wrong password or disabled account (never says which)',
  ROLE_NOT_ALLOWED: '403: the signed-in user’s role may not use this route',
  PASSWORD_CHANGE_REQUIRED: '403: the user must change their password before anything else',
  CROSS_ORIGIN_WRITE: '403: a write came from another origin (CSRF check)',
  OUT_OF_SCOPE: '403: a district officer asked for another district’s records',
  LOGIN_THROTTLED: '429: too many failed sign-ins from this address; `retryAfterS` says how long to wait',
  // Requests and writes in general
  IDEMPOTENCY_KEY_REUSED: '422: an Idempotency-Key already used for a different request to the route',
  STALE_ROW_VERSION: '409: the plot changed since the client read it (expectedRowVersion differs)',
  INVALID_STATUS: '409: the allocation or subsidy is not in a status that allows this action',
  // Plots and parks
  GEOMETRY_INVALID: '422: the shared geometry validation refused a plot’s shape (`errors`, `warnings`)',
  CODE_EXISTS: '409: a plot code is already in use',
  PARK_NOT_FOUND: '400: a plot write names a park that does not exist',
  CONDITIONS_INVALID: '400: a plot’s 标准地 conditions refused (`field` conditions.<name>, `problems`)',
  HAS_HISTORY: '409: a plot with allocations, holds or lineage cannot be deleted, only withdrawn',
  CODES_COUNT: '422: a split was given a number of codes other than the number of pieces',
  NOT_SAME_PARK: '422: a merge of plots from different parks',
  ATTRIBUTE_CONFLICT: '422: merged plots differ in an attribute the body does not settle (`field`)',
  LINE_INVALID: '422: the split line is not a simple line of at least two positions',
  LINE_DOES_NOT_SPLIT: '422: the split line does not cut the plot into pieces',
  NOT_ADJACENT: '422: the plots to merge do not touch (or fewer than two were given)',
  EDIT_FAILED: '422: the split or merge could not be computed',
  PARK_CODE_TAKEN: '409: recognizing a park with a code another park has',
  OUTSIDE_GUANGZHOU: '400: a park boundary overlaps none of Guangzhou’s districts',
  OVERLAPS_PARK: '400: a park boundary overlaps an existing park (`parkId`, `overlapM2`)',
  // Holds, interests, allocations, quotas
  NO_ACTIVE_HOLD: '409: releasing a hold on a plot that has none in force',
  INTEREST_CLOSED: '409: turning a closed interest into a hold or a proposal',
  ALREADY_CONVERTED: '409: the interest was already turned into a hold or a proposal',
  DEMAND_CLOSED: '409: holding or proposing for a project land demand the bureau has closed (reopen it first)',
  DEMAND_MATCHED: '409: the demand already has a plot held or an allocation proposed (or is satisfied)',
  DEMAND_EXISTS: '409: a demand from an interest that already has one (`demandId`)',
  SUPERSEDED: '409: another proposal for the plot was approved and closed this one',
  FOUR_EYES: '409: the proposer of an allocation tried to approve it (APPROVAL_FOUR_EYES)',
  DUPLICATE_NUMBER: '409: a contract or supervision number already recorded on another allocation',
  MILESTONE_RECORDED: '409: the milestone already has a date',
  MILESTONE_ORDER: '409: a milestone recorded before the one that must precede it',
  STAGE_NOT_ALLOWED: '409: an idle-land decision at a supervision stage that does not allow it (`stage`, `allowed`)',
  DECISION_RECORDED: '409: an idle_fee or reclaim decision already recorded for the allocation',
  QUOTA_NOT_SET: '404 reading / 409 charging a year whose quota nobody has set',
  QUOTA_BELOW_MINIMUM: '400: a year’s quota under the minimum (5000 亩 by default)',
  QUOTA_BELOW_APPROVED: '409: a quota or reserve the year’s approvals would no longer fit in',
  VALIDATION_FAILED: '400: a quota setting whose figures are not valid areas (the reason repeats the code)',
  length: '400: a USCC that is not 18 characters',
  charset: '400: a USCC with a character outside its alphabet',
  check: '400: a USCC whose check character is wrong',
  // Subsidies and reference data
  SUBSIDY_NOT_ELIGIBLE: '409: the project is not eligible for a park subsidy',
  PROJECT_SHARE_EXHAUSTED: '409 SUBSIDY_CAP_EXCEEDED: the project was already granted its whole share of its investment',
  GRANT_ROUNDS_TO_ZERO: '409 SUBSIDY_CAP_EXCEEDED: the project’s share of its investment rounds down to nothing',
  ALREADY_VERIFIED: '409: confirming a reference parameter that is already verified',
  // Imports: the upload
  MALFORMED_MULTIPART: '400: the multipart body could not be read',
  NO_FILE: '400: no multipart field "file"',
  BAD_FILENAME: '400: a file name with control characters or over 255 characters',
  FILE_TOO_LARGE: '413: the upload is over the size limit',
  EMPTY: '400: the file has no features',
  UNKNOWN_FORMAT: '400: the format could not be told from the name or the content',
  TOO_MANY_FEATURES: '400: more features than one import may hold',
  TOO_MANY_VERTICES: '400: more vertices than one import or one feature may hold',
  CRS_UNSUPPORTED: '400: the coordinate reference system is not one the import can read',
  GEOJSON_INVALID: '400: the GeoJSON could not be parsed or is not a FeatureCollection of areas',
  KML_INVALID: '400: the KML could not be parsed',
  KML_UNSAFE: '400: the KML declares entities or a DTD (refused, never expanded)',
  CSV_INVALID: '400: the 界址点 table lacks its code or coordinate columns',
  SHAPEFILE_INVALID: '400: a shapefile part could not be read',
  SHAPEFILE_MISMATCH: '400: the .shp and .dbf disagree on the number of records',
  SHAPEFILE_MISSING_PART: '400: a required part (.shp, .dbf) is missing from the zip',
  SHAPEFILE_NOT_POLYGONS: '400: the shapefile holds points or lines, not polygons',
  SHAPEFILE_SEVERAL: '400: the zip holds more than one shapefile',
  SHAPEFILE_TRUNCATED: '400: a shapefile part ends before its records do',
  ZIP_INVALID: '400: the zip could not be read',
  ZIP_BOMB: '400: the zip expands far beyond its size',
  ZIP_UNSAFE_PATH: '400: a zip entry with "..", an absolute path or a drive letter',
  // Imports: the commit
  IMPORT_COMMITTED: '409: the preview was already committed',
  IMPORT_FAILED: '409: the preview’s commit failed before; upload again',
  IMPORT_EXPIRED: '409: the preview expired; upload again',
  IMPORT_HAS_ERRORS: '422: features with errors: nothing is imported',
  PLOT_OVERLAP: '409: plots drawn since the preview overlap the file’s plots',
  // 亩均 performance and evaluation
  CSV_ENCODING: '400: a performance CSV that is neither UTF-8 nor GBK text',
  CSV_COLUMNS: '400: a performance CSV without a key column (合同编号/地块编号) or a figure column (`missing`)',
  CSV_TOO_MANY_ROWS: '400: a performance CSV with more rows than one import may hold',
  NO_GRADE_THRESHOLDS: '409: no 亩均 grade threshold version applies to the year evaluated',
  // Field inspections (#15 §3)
  ASSIGNEE_NOT_ELIGIBLE: '400: the assignee is not an active district officer of the plot’s district (field assigneeId)',
  INSPECTION_OPEN: '409: the allocation already has an open inspection (`inspectionId`)',
  INSPECTION_CLOSED: '409: a visit, photo or closing on an inspection already closed',
  NOT_ASSIGNEE: '403: a district officer other than the assignee recording on an inspection',
  NOT_AN_IMAGE: '415: an inspection photo that is neither JPEG nor PNG by its bytes',
  IMAGE_MALFORMED: '400: an inspection photo that is truncated or damaged',
} as const satisfies Record<string, string>;
export type ErrorReason = keyof typeof ERROR_REASON_TEXT;
export const ERROR_REASONS = Object.keys(ERROR_REASON_TEXT) as readonly ErrorReason[];

/** The machine-readable fields beside `message`: a `reason` and the figures of the case. */
export interface ErrorDetails {
  reason?: ErrorReason;
  [field: string]: unknown;
}

/** The body of every error answer. */
export interface ErrorBody extends ErrorDetails {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
}
