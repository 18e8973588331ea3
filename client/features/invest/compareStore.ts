/**
 * Plots chosen for side-by-side comparison (at most three), by code. Kept in localStorage
 * (`iab.compare`) so the choice survives moving between the search, plot sheets and the
 * comparison; the comparison page itself takes its plots from the URL (`/compare?codes=…`).
 */
import { create } from 'zustand';

export const COMPARE_MAX = 3;
const STORAGE_KEY = 'iab.compare';
const CODE = /^[\w.-]{1,64}$/;

function readStored(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && CODE.test(c)).slice(0, COMPARE_MAX) : [];
  } catch {
    return [];
  }
}

function store(codes: string[]): void {
  useCompareStore.setState({ codes });
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(codes));
  } catch {
    // not persisted; the choice still holds on this page
  }
}

export const useCompareStore = create<{ codes: string[] }>(() => ({ codes: readStored() }));

/** Adds a plot; false when three are already chosen. */
export function addToCompare(code: string): boolean {
  const { codes } = useCompareStore.getState();
  if (codes.includes(code)) return true;
  if (codes.length >= COMPARE_MAX || !CODE.test(code)) return false;
  store([...codes, code]);
  return true;
}

export function removeFromCompare(code: string): void {
  store(useCompareStore.getState().codes.filter((c) => c !== code));
}

export function setCompare(codes: string[]): void {
  store([...new Set(codes.filter((c) => CODE.test(c)))].slice(0, COMPARE_MAX));
}

export function clearCompare(): void {
  store([]);
}

/** The comparison page's address for these codes. */
export function compareHref(codes: readonly string[]): string {
  return `/compare?codes=${codes.map(encodeURIComponent).join(',')}`;
}

/** The codes to compare once `code` is added: kept if already chosen, else the newest three. */
export function compareWith(codes: readonly string[], code: string): string[] {
  return codes.includes(code) ? [...codes] : [...codes, code].slice(-COMPARE_MAX);
}
