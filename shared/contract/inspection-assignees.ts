/**
 * Who a field inspection (issue #15 §3) can be assigned to: the district officers of the
 * plot's district. `GET /api/supervision/inspectors?districtCode=` — the bureau sees any
 * district's officers; a district officer only their own district's (the users list itself is
 * for administrators).
 */
import { Type, type Static } from 'typebox';

export const InspectorsQuery = Type.Object(
  { districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'District (default: a district officer\'s own; the bureau: every district)' })) },
  { additionalProperties: false },
);
export type InspectorsQuery = Static<typeof InspectorsQuery>;

export const Inspector = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  districtCode: Type.String(),
});
export type Inspector = Static<typeof Inspector>;

export const InspectorList = Type.Object({ items: Type.Array(Inspector) });
export type InspectorList = Static<typeof InspectorList>;
