/** Reading audit events in the client: action labels, the page's filters (changes: client-audit-changes.test.ts). */
import { describe, expect, it } from 'vitest';
import {
  actionMessageKey,
  auditQueryFrom,
  EMPTY_AUDIT_FILTERS,
  filtersFromSearch,
  shanghaiToIso,
  searchFromFilters,
} from '../../client/features/admin/auditView.ts';
import { en } from '../../client/i18n/en.ts';

describe('action labels', () => {
  it('names known actions, in both languages', () => {
    const key = actionMessageKey('user.disable');
    expect(key).toBe('audit.action.user.disable');
    expect(en[key!]).toBe('User disabled');
  });

  it('leaves unknown actions to be shown as their code', () => {
    expect(actionMessageKey('allocation.milestone.start')).toBeNull();
    expect(actionMessageKey('toString')).toBeNull();
  });
});

describe('the audit page filters', () => {
  const page = { limit: 50, offset: 100 };

  it('sends only the filters that are set, trimmed', () => {
    const r = auditQueryFrom({ ...EMPTY_AUDIT_FILTERS, entity: ' user ', entityId: '7', actor: '' }, page);
    expect(r).toEqual({ ok: true, query: { limit: 50, offset: 100, entity: 'user', entityId: '7' } });
  });

  it('reads days and times as Beijing time, whatever the browser zone; a "to" day includes the whole day', () => {
    const r = auditQueryFrom({ ...EMPTY_AUDIT_FILTERS, from: '2026-05-01T09:30', to: '2026-05-02' }, page);
    expect(r.ok && r.query.from).toBe('2026-05-01T01:30:00.000Z');
    expect(r.ok && r.query.to).toBe('2026-05-02T16:00:00.000Z');
    const day = auditQueryFrom({ ...EMPTY_AUDIT_FILTERS, from: '2026-05-01', to: '2026-05-01' }, page);
    expect(day.ok && [day.query.from, day.query.to]).toEqual(['2026-04-30T16:00:00.000Z', '2026-05-01T16:00:00.000Z']);
  });

  it('refuses from after to, and dates that are not dates', () => {
    expect(auditQueryFrom({ ...EMPTY_AUDIT_FILTERS, from: '2026-05-02T00:00', to: '2026-05-01T00:00' }, page)).toEqual({ ok: false, problem: 'fromAfterTo' });
    expect(auditQueryFrom({ ...EMPTY_AUDIT_FILTERS, from: 'yesterday' }, page)).toEqual({ ok: false, problem: 'badFrom' });
    expect(auditQueryFrom({ ...EMPTY_AUDIT_FILTERS, to: '2026-13-45T99:99' }, page)).toEqual({ ok: false, problem: 'badTo' });
    expect(shanghaiToIso('2026-02-30')).toBeNull();
    expect(shanghaiToIso('2026-12-31', true)).toBe('2026-12-31T16:00:00.000Z');
  });

  it('round-trips through the query string, so a filtered view can be linked', () => {
    const f = { ...EMPTY_AUDIT_FILTERS, entity: 'plot', entityId: '12', actor: 'land', from: '2026-05-01T09:30' };
    expect(searchFromFilters(f)).toBe('?entity=plot&entityId=12&actor=land&from=2026-05-01T09%3A30');
    expect(filtersFromSearch(searchFromFilters(f))).toEqual(f);
    expect(searchFromFilters(EMPTY_AUDIT_FILTERS)).toBe('');
    expect(filtersFromSearch('?offset=50&foo=1')).toEqual(EMPTY_AUDIT_FILTERS);
  });
});
