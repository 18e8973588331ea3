/**
 * The one table from a business-rule constraint's name to the API's answer
 * (server/kernel/errors.ts): the database's refusal reads as the check in code would have, on
 * both drivers (pg names the constraint; PGlite only quotes it in the message).
 */
import { describe, expect, it } from 'vitest';
import { AppError, constraintError, fromDatabaseError, withConstraintErrors } from '../../server/kernel/errors.ts';

describe('constraintError: named constraints answer as the rule they back up', () => {
  it('maps each named constraint by name or by the quoted name in the message', () => {
    expect(constraintError({ code: '23505', constraint: 'allocations_one_active_per_plot' })).toMatchObject({ statusCode: 409, code: 'PLOT_UNAVAILABLE', details: { constraint: 'allocations_one_active_per_plot' } });
    expect(constraintError({ code: '23505', message: 'duplicate key value violates unique constraint "allocations_one_active_per_plot"' })).toMatchObject({ statusCode: 409, code: 'PLOT_UNAVAILABLE' });
    expect(constraintError({ code: '23514', constraint: 'quotas_approved_within_quota' })).toMatchObject({ statusCode: 409, code: 'QUOTA_EXCEEDED', details: { constraint: 'quotas_approved_within_quota' } });
    expect(constraintError({ code: '23514', message: 'new row for relation "quotas" violates check constraint "quotas_non_iab_within_unreserved"' })).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { constraint: null } });
    expect(constraintError({ code: '23505', constraint: 'allocations_contract_no_key' })).toMatchObject({ statusCode: 409, code: 'CONFLICT', details: { reason: 'DUPLICATE_NUMBER' } });
    expect(constraintError({ code: '23505', constraint: 'allocations_contract_no_key' })?.message).toMatch(/contract number \(出让合同编号\)/);
    expect(constraintError({ code: '23505', constraint: 'allocations_supervision_no_key' })?.message).toMatch(/electronic supervision number \(电子监管号\)/);
    expect(constraintError({ code: '23514', constraint: 'park_subsidy_totals_within_cap' })).toMatchObject({ statusCode: 409, code: 'SUBSIDY_CAP_EXCEEDED' });
    expect(constraintError({ code: '23514', constraint: 'park_projects_within_share' })?.message).toMatch(/share of total investment/);
  });

  it('needs the SQLSTATE the constraint raises, and leaves anything else alone', () => {
    expect(constraintError({ code: '23514', constraint: 'allocations_one_active_per_plot' })).toBeNull();
    expect(constraintError({ code: '23505', constraint: 'users_username_key' })).toBeNull();
    expect(constraintError(new Error('boom'))).toBeNull();
    expect(constraintError(null)).toBeNull();
  });

  it('is what fromDatabaseError answers first; other refusals keep their generic answer', () => {
    expect(fromDatabaseError({ code: '23514', constraint: 'park_subsidy_totals_within_cap' })).toMatchObject({ code: 'SUBSIDY_CAP_EXCEEDED' });
    expect(fromDatabaseError({ code: '23505', detail: 'Key (code)=(P1) already exists.' })).toMatchObject({ statusCode: 409, code: 'CONFLICT', details: { field: 'code' } });
  });

  it('withConstraintErrors rethrows a named refusal as its answer and anything else as it was', async () => {
    await expect(withConstraintErrors(() => Promise.reject(Object.assign(new Error('x'), { code: '23514', constraint: 'quotas_approved_within_quota' })))).rejects.toBeInstanceOf(AppError);
    const other = new Error('other');
    await expect(withConstraintErrors(() => Promise.reject(other))).rejects.toBe(other);
    await expect(withConstraintErrors(async () => 7)).resolves.toBe(7);
  });
});
