/**
 * The supply modes over HTTP (五(三)14): the term each mode allows, the term-corrected floor of
 * a flexible term, the rent floor of a lease, and the transfer price after a lease. The other
 * allocation rules are in allocations.test.ts; the floor arithmetic itself in
 * tests/unit/policy.
 */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { floorOf, freshPlots, proposal, putQuota } from './allocation-helpers.ts';

const BIG_QUOTA_M2 = 50_000_000;
/** One land officer proposes and approves (four eyes has its own tests). */
const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };

describeOnDatabases('allocation modes', (get) => {
  let land: Session;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = land, headers: Record<string, string> = {}) => call(app(), s, 'POST', url, body, headers);

  it('signs in and sets the year used below', async () => {
    land = await login(app(), 'land');
    await putQuota(app(), land, 2026, BIG_QUOTA_M2, 0);
  });

  it('transfer is for 50 years and flexible_term for fewer, term-corrected with K(n)', async () => {
    const [plot] = await freshPlots(app(), 1);
    const p = plot!.id;
    const f50 = await floorOf(app(), land, p, true, 50);
    const f20 = await floorOf(app(), land, p, true, 20);
    const t40 = await post('/api/allocations', proposal(p, 2026, f50, { termYears: 40 }));
    expect(t40.status).toBe(400);
    expect(t40.body.message).toMatch(/statutory 50 years.*flexible_term/);
    const flex50 = await post('/api/allocations', proposal(p, 2026, f50, { mode: 'flexible_term', termYears: 50 }));
    expect(flex50.status).toBe(400);
    expect(flex50.body.message).toMatch(/1–49 whole years/);
    expect((await post('/api/allocations', proposal(p, 2026, f50, { mode: 'flexible_term', termYears: 0 }))).status).toBe(400);
    const flex = await post('/api/allocations', proposal(p, 2026, f20, { mode: 'flexible_term', termYears: 20 }));
    expect(flex.status, JSON.stringify(flex.body)).toBe(201);
    expect(flex.body.floorYuan).toBe(f20);
    expect(flex.body.proposedFloor.priceFloor.termFactor).toBeLessThan(1);
    // One fen under the 20-year floor is refused.
    const under = await post('/api/allocations', proposal(p, 2026, Math.round((f20 - 0.01) * 100) / 100, { mode: 'flexible_term', termYears: 20 }));
    expect(under.status).toBe(422);
    expect(under.body.code).toBe('BELOW_PRICE_FLOOR');
  });

  it('lease_then_transfer: lease + transfer ≤ 50, rent ≥ the rent floor, transfer price ≥ the floor for the remaining term', async () => {
    const [plot] = await freshPlots(app(), 1);
    const p = plot!.id;
    const f50 = await floorOf(app(), land, p, true, 50);
    const f40 = await floorOf(app(), land, p, true, 40);
    const rentFloor = Math.ceil(f50 * 2) / 100; // 2% of the 50-year floor, rounded up to the fen
    const base = { mode: 'lease_then_transfer' as const, leaseYears: 10, termYears: 40, annualRentYuan: rentFloor };
    const missingLease = await post('/api/allocations', proposal(p, 2026, f40, { ...base, leaseYears: undefined }));
    expect(missingLease.status).toBe(400);
    expect(missingLease.body.message).toMatch(/leaseYears is required/);
    const missingRent = await post('/api/allocations', proposal(p, 2026, f40, { ...base, annualRentYuan: undefined }));
    expect(missingRent.status).toBe(400);
    const tooLong = await post('/api/allocations', proposal(p, 2026, f40, { ...base, termYears: 45 }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/Lease 10 years plus transfer 45 years exceeds 50 years/);
    expect(tooLong.body.field).toBe('termYears');
    const ok = await post('/api/allocations', proposal(p, 2026, f40, base));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ mode: 'lease_then_transfer', leaseYears: 10, termYears: 40, annualRentYuan: rentFloor });
    expect(ok.body.proposedFloor.rentFloor.annualRentFloorYuan).toBe(rentFloor);
    const lowRent = await post('/api/allocations', proposal(p, 2026, f40, { ...base, annualRentYuan: rentFloor - 0.01 }));
    expect(lowRent.status).toBe(422);
    expect(lowRent.body).toMatchObject({ code: 'BELOW_PRICE_FLOOR', subject: 'annual_rent', floorYuan: rentFloor });
    expect(lowRent.body.message).toMatch(/Annual rent .* is below the annual rent floor/);
    expect(lowRent.body.message).toMatch(/年租金/);
    const lowPrice = await post('/api/allocations', proposal(p, 2026, f40 - 1, base));
    expect(lowPrice.status).toBe(422);
    expect(lowPrice.body).toMatchObject({ subject: 'price', floorYuan: f40 });
  });

  it('long_term_lease: 5–20 years, priceYuan is the annual rent, at least the rent floor', async () => {
    const [plot] = await freshPlots(app(), 1);
    const p = plot!.id;
    const f50 = await floorOf(app(), land, p, false, 50);
    const rentFloor = Math.ceil(f50 * 2) / 100;
    for (const years of [4, 21]) {
      const r = await post('/api/allocations', proposal(p, 2026, rentFloor, { iab: false, mode: 'long_term_lease', termYears: years }));
      expect(r.status, `${years} years`).toBe(400);
      expect(r.body.message).toMatch(/long-term lease must be a whole number of years from 5 to 20/);
    }
    const ok = await post('/api/allocations', proposal(p, 2026, rentFloor, { iab: false, mode: 'long_term_lease', termYears: 10 }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ floorYuan: rentFloor, priceYuan: rentFloor });
    const low = await post('/api/allocations', proposal(p, 2026, Math.round(rentFloor * 100 - 1) / 100, { iab: false, mode: 'long_term_lease', termYears: 10 })); // (float-safe one fen less)
    expect(low.status).toBe(422);
    expect(low.body).toMatchObject({ subject: 'annual_rent', floorYuan: rentFloor });
    const withRent = await post('/api/allocations', proposal(p, 2026, rentFloor, { iab: false, mode: 'long_term_lease', termYears: 10, annualRentYuan: rentFloor }));
    expect(withRent.status).toBe(400);
    expect(withRent.body.message).toMatch(/priceYuan is the annual rent/);
    // Approval of a lease charges the quota like any allocation.
    expect((await post(`/api/allocations/${ok.body.id}/approve`)).status).toBe(200);
  });
}, ONE_OFFICER);
