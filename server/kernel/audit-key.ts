/**
 * The audit key: the secret the audit chain is signed with (HMAC-SHA-256). It
 * lives outside the database, so a database superuser who rewrites events cannot re-sign them.
 *
 * Where it comes from, in order:
 * 1. `AUDIT_KEY`: 64–128 hex digits (32–64 bytes), e.g. `openssl rand -hex 32`;
 * 2. `DATA_DIR` = `memory://` (tests, throw-away runs): a random key for this process;
 * 3. the key file `DATA_DIR/audit.key` (also with DATABASE_URL; DATA_DIR defaults to ./data):
 *    created on first start (0600, 32 random bytes as hex), read on every later one. A file
 *    that exists but cannot be read, or holds no valid key, stops the start with a message.
 *
 * Lose the key and the chain can no longer be verified: back it up apart from the database.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface AuditKey {
  /** The secret. */
  secret: Buffer;
  /** A fingerprint (HMAC of a constant, 16 hex digits): stored with the chain, never the key. */
  id: string;
  /** Where it came from, for messages. */
  source: string;
}

export const AUDIT_KEY_FILE = 'audit.key';
const HEX_KEY = /^(?:[0-9a-fA-F]{2}){32,64}$/;

/** Parses AUDIT_KEY / the key file's text; null when it is not 32–64 bytes of hex. */
export function parseAuditKey(text: string): Buffer | null {
  const t = text.trim();
  return HEX_KEY.test(t) ? Buffer.from(t, 'hex') : null;
}

export function auditKeyProblem(text: string): string | null {
  return parseAuditKey(text) ? null : 'AUDIT_KEY must be 64–128 hex digits (32–64 random bytes), e.g. the output of `openssl rand -hex 32`.';
}

export function makeAuditKey(secret: Buffer, source: string): AuditKey {
  return { secret, id: createHmac('sha256', secret).update('iab-audit-key-id').digest('hex').slice(0, 16), source };
}

let processKey: AuditKey | undefined;

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

/**
 * The key for this configuration. `create: false` (read-only tools such as audit:verify) never
 * writes a key file; a missing one is then an error.
 */
export function loadAuditKey(opts: { auditKey: Buffer | undefined; dataDir: string }, { create = true }: { create?: boolean } = {}): AuditKey {
  if (opts.auditKey) return makeAuditKey(opts.auditKey, 'AUDIT_KEY');
  if (opts.dataDir === 'memory://') {
    processKey ??= makeAuditKey(randomBytes(32), 'a random key of this process (DATA_DIR=memory://)');
    return processKey;
  }
  const file = path.join(opts.dataDir, AUDIT_KEY_FILE);
  if (!fs.existsSync(file)) {
    if (!create) throw new AuditKeyError(`There is no audit key: set AUDIT_KEY or provide ${file} (the server creates it on its first start).`);
    fs.mkdirSync(opts.dataDir, { recursive: true });
    // Written aside and linked into place: a concurrent first start reads a whole key or none.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AuditKeyError(`Cannot read the audit key file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the server must be able to read it (mode 0600, owned by the user running the server), or set AUDIT_KEY.`);
  }
  const secret = parseAuditKey(text);
  if (!secret) throw new AuditKeyError(`The audit key file ${file} does not hold a key (64–128 hex digits). Restore it from your backup, or set AUDIT_KEY.`);
  return makeAuditKey(secret, file);
}

/** A warning when the key file can be read by others than its owner (null when fine). */
export function auditKeyFileWarning(key: AuditKey): string | null {
  if (key.source.startsWith('AUDIT_KEY') || key.source.startsWith('a random')) return null;
  try {
    const mode = fs.statSync(key.source).mode & 0o777;
    return mode & 0o077 ? `The audit key file ${key.source} has mode ${mode.toString(8)}: others can read it. Run chmod 600 on it.` : null;
  } catch {
    return null;
  }
}
