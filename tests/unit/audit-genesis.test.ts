/**
 * The audit chain starts from one hash: the one migration 003 writes into `audit_head` and the
 * one the server verifies from. Run time keeps its own copy (it never imports a migration), so
 * this test holds the two equal.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH } from '../../server/kernel/audit.ts';
import { AUDIT_GENESIS_HASH as MIGRATION_GENESIS_HASH } from '../../server/db/migrations/003_accounts.ts';

describe('audit genesis hash', () => {
  it('is the same in the kernel and in the migration that created the chain', () => {
    expect(AUDIT_GENESIS_HASH).toBe(MIGRATION_GENESIS_HASH);
    expect(AUDIT_GENESIS_HASH).toMatch(/^0{64}$/);
  });
});
