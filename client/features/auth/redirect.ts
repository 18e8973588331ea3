/**
 * Where to go after signing in: the `next` parameter of `/login?next=…`, accepted only as a path
 * of this app — never another origin (`//evil.example`, `https://…`, `/\evil`), so the login
 * page cannot be used to bounce a user elsewhere.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return fallback;
  return next;
}

/** `/login?next=<here>`; the bare login page when already there. */
export function loginHref(here: string): string {
  const next = safeNextPath(here, '');
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
