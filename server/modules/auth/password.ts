/**
 * Password hashing with scrypt (memory-hard, in node:crypto). A hash is stored as
 * `scrypt$N$r$p$salt$hash` (salt and hash base64), so the cost can be raised later: a hash made
 * with a lower cost still verifies, and `needsRehash` tells the login to upgrade it.
 *
 * Cost: N = 2^15, r = 8, p = 1 — 32 MiB and ≈ 0.27 s per hash on the 2-core reference machine,
 * what a login can afford there. OWASP suggests N = 2^17 (128 MiB): raise `DEFAULT_COST.N` on
 * a production server with the memory for it; existing hashes are upgraded at their next login.
 * Hashing runs on libuv's thread pool (async scrypt), never blocking the event loop.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { MAX_PASSWORD_LENGTH } from '../../../shared/contract/auth.ts';

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
export const MIN_PASSWORD_LENGTH = 10;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // maxmem must exceed 128·N·r bytes; twice that leaves room for Node's bookkeeping.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scryptCb(normalize(password), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The same characters typed on different keyboards (composed or not) give the same hash. */
function normalize(password: string): string {
  return password.normalize('NFC');
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a corrupt row from asking for gigabytes of memory.
  const valid = Number.isInteger(N) && N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!valid) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { cost: { N, r, p }, salt, key };
}

/** Constant-time comparison of a password with a stored hash. False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a stored hash was made with a lower cost than today's default. */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.cost.N < DEFAULT_COST.N || parsed.cost.r < DEFAULT_COST.r;
}

/**
 * A hash of no one's password, verified when a username does not exist, so a failed login
 * takes the same time whether or not the account exists (no user enumeration by timing).
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** The password policy: a reason in both languages, or null when acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters (密码至少 ${MIN_PASSWORD_LENGTH} 个字符).`;
  if (length > MAX_PASSWORD_LENGTH) return `The password must have at most ${MAX_PASSWORD_LENGTH} characters (密码最多 ${MAX_PASSWORD_LENGTH} 个字符).`;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'The password must not contain the username (密码不能包含用户名).';
  if (new Set(password).size < 4) return 'The password is too repetitive; use at least 4 different characters (密码过于简单).';
  return null;
}
