/** Schemas of the system routes (GET /api/meta). */
import { Type, type Static } from 'typebox';

/** `GET /api/meta`: what the data is, and the switches the screens follow. */
export const Meta = Type.Object({
  sampleData: Type.Boolean({ description: 'true while any sample data (plots, indicative park boundaries) is shown' }),
  dataAsOf: Type.Union([Type.String(), Type.Null()]),
  version: Type.String(),
  database: Type.String(),
  demoAccounts: Type.Boolean({ description: 'true while the published demo accounts (password in the README) can sign in; the login page then lists them' }),
  approvalFourEyes: Type.Boolean({ description: 'APPROVAL_FOUR_EYES: the officer who proposed an allocation may not approve it (the bureau screen disables 批准 for them)' }),
});
export type Meta = Static<typeof Meta>;
