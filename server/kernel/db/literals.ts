/**
 * Parameters written into a statement's text as literals, as `pg` would send them: for the
 * statements sent in one message with others (the simple protocol takes no parameters) —
 * server/kernel/db/transaction.ts `commitWith`, and a transaction's first statement sent with its
 * BEGIN (./prepared.ts).
 */
import pg from 'pg';

/** `inlined` for a query's text and its parameters, as `pg`'s `client.query(text, values)` takes them. */
export function inlinedText(text: string, parameters: readonly unknown[]): string {
  if (/\$\w*\$/.test(text.replace(/\$\d+/g, ''))) throw new Error('inlined: dollar-quoted text is not supported');
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    // pg's own serialization of a parameter, the text it would send for it.
    const value = prepareValue(parameters[Number(n) - 1]);
    if (value === null || value === undefined) return 'NULL';
    if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`;
    return quoteLiteral(value);
  });
}

/**
 * `pg.escapeLiteral`'s text (quotes doubled; with a backslash, doubled too and the E'' form),
 * with the engine's string replace instead of its loop over each character: the approval's
 * decision, several kB, is written in twice.
 */
export function quoteLiteral(value: string): string {
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return value.includes('\\') ? ` E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}

/** pg's `utils.prepareValue` (exported by pg, not declared by @types/pg). */
const prepareValue = (pg as unknown as { utils: { prepareValue: (v: unknown) => string | Buffer | null } }).utils.prepareValue;
