/** A translated text with elements in its `{name}` places (a `<Money>` with its hover, a link). */
import { Fragment, type ReactNode } from 'react';

/** `text` as t() returns it with the placeholders kept (pass `{ name: '{name}' }`), filled with `parts`. */
export function interpolate(text: string, parts: Record<string, ReactNode>): ReactNode {
  const out = text.split(/\{(\w+)\}/g).map((piece, i) => (i % 2 === 1 ? <Fragment key={i}>{piece in parts ? parts[piece] : `{${piece}}`}</Fragment> : piece));
  return <>{out}</>;
}
