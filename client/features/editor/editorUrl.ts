/** `/bureau/editor?park=9&plot=123`: the chosen park and a single chosen plot. Pure. */
export interface EditorUrl {
  park: number | null;
  plot: number | null;
}

export function parseEditorUrl(search: string): EditorUrl {
  const q = new URLSearchParams(search);
  const n = (k: string) => (/^\d+$/.test(q.get(k) ?? '') ? Number(q.get(k)) : null);
  return { park: n('park'), plot: n('plot') };
}

/** The query string for `u`, keeping the other parameters of `current`. */
export function formatEditorUrl(u: EditorUrl, current: string): string {
  const q = new URLSearchParams(current);
  if (u.park !== null) q.set('park', String(u.park));
  else q.delete('park');
  if (u.plot !== null) q.set('plot', String(u.plot));
  else q.delete('plot');
  const s = q.toString();
  return s ? `?${s}` : '';
}
