/**
 * `Idempotency-Key`s for the bureau's writes: one key per intended write, so a double click or a
 * retry after a lost answer replays the first result instead of creating a second allocation.
 * The same request (same body) reuses its key; a changed request gets a new one (the server
 * refuses one key for two different requests).
 */

/** A random UUID v4. `crypto.randomUUID` exists only in secure contexts (https, localhost); `getRandomValues` everywhere. */
export function newIdempotencyKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const b = random(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface KeyKeeper {
  /** The key for this request: the previous one when the request is the same, else a new one. */
  keyFor(request: unknown): string;
  /** Forget (after a write is done and the form starts afresh). */
  reset(): void;
}

export function keyKeeper(make: () => string = () => newIdempotencyKey()): KeyKeeper {
  let last: { request: string; key: string } | null = null;
  return {
    keyFor(request) {
      const text = JSON.stringify(request);
      if (last?.request !== text) last = { request: text, key: make() };
      return last.key;
    },
    reset() {
      last = null;
    },
  };
}
