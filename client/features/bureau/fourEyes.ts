/**
 * Four eyes on approvals (APPROVAL_FOUR_EYES): with the setting on (/api/meta
 * `approvalFourEyes`), the officer who proposed an allocation may not approve it. The server
 * refuses it (409 FOUR_EYES); the bureau screen disables 批准 for them and says why.
 */
export function approvalBlockedByFourEyes(fourEyes: boolean | undefined, me: string | null, a: { status: string; createdBy: string | null }): boolean {
  return fourEyes === true && me !== null && a.status === 'proposed' && a.createdBy === me;
}
