/**
 * `npm run user:create -- --role admin --username NAME [--display-name "…"] [--district 440112]`
 *
 * Creates a user in DATABASE_URL (PostgreSQL) or the embedded database in DATA_DIR — typically
 * the first administrator of a real deployment, where no demo account exists. The password comes
 * from the IAB_PASSWORD environment variable (scripts, CI) or is asked for twice with hidden
 * input. The creation is audited as done by `system:user-create`.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { prepareDatabase } from '../server/kernel/db/prepare.ts';
import { inTransaction } from '../server/kernel/db/transaction.ts';
import { loadBaseGeodata } from '../seeds/load.ts';
import { hashPassword, passwordProblem } from '../server/modules/auth/password.ts';
import { createUser } from '../server/modules/users/service.ts';
import { systemActor } from '../server/kernel/audit.ts';
import { AppError } from '../server/kernel/errors.ts';
import { isRole, ROLES } from '../shared/roles.ts';

const USAGE = `Usage: npm run user:create -- --role ROLE --username NAME [--display-name TEXT] [--district CODE] [--must-change-password]
  ROLE: ${ROLES.join(' | ')}; --district is required for district_officer (e.g. 440112).
  Password: from IAB_PASSWORD, or asked for (twice, hidden).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let pipedLines: AsyncIterator<string> | undefined;

/** Reads one line from the terminal without echoing it; from a pipe, reads a plain line. */
async function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(prompt);
  if (!stdin.isTTY) {
    pipedLines ??= readline.createInterface({ input: stdin, terminal: false })[Symbol.asyncIterator]();
    const line = await pipedLines.next();
    process.stdout.write('\n');
    if (line.done) fail('No password on standard input; nothing was created.');
    return line.value;
  }
  return readHiddenFromTerminal();
}

/** Keys typed (or pasted) after the Enter that ended the previous answer. */
let typedAhead = '';

function readHiddenFromTerminal(): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    let value = '';
    /** Takes keys up to Enter; true when the answer is complete. */
    const take = (chars: string): boolean => {
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i]!;
        if (ch === '\r' || ch === '\n') {
          typedAhead = chars.slice(i + 1).replace(/^\n/, '');
          process.stdout.write('\n');
          resolve(value);
          return true;
        }
        if (ch === '\u0003') {
          process.stdout.write('\n');
          process.exit(130); // Ctrl-C
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
      return false;
    };
    const pending = typedAhead;
    typedAhead = '';
    if (take(pending)) return;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const onData = (chars: string) => {
      if (!take(chars)) return;
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    username: { type: 'string' },
    'display-name': { type: 'string' },
    district: { type: 'string' },
    'must-change-password': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.role || !isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}.\n${USAGE}`);
if (!values.username) fail(`--username is required.\n${USAGE}`);
const role = values.role;
const username = values.username;

let password = process.env.IAB_PASSWORD;
if (!password) {
  password = await readHidden(`Password for ${username}: `);
  const again = await readHidden('Repeat the password: ');
  if (again !== password) fail('The two passwords differ; nothing was created.');
}
const problem = passwordProblem(password, username);
if (problem) fail(problem);

const config = loadConfig();
const handle = await connectDatabase(config);
try {
  await prepareDatabase(handle, config); // migrations, grants, the audit key
  await loadBaseGeodata(handle.db); // districts, so a district officer's code can be checked
  const passwordHash = await hashPassword(password);
  const user = await inTransaction(handle.db, (trx) =>
    createUser(
      trx,
      {
        username,
        displayName: values['display-name'] ?? username,
        role,
        districtCode: values.district ?? null,
        passwordHash,
        mustChangePassword: values['must-change-password'] ?? false,
      },
      { actor: systemActor('user-create') },
    ),
  );
  console.log(`Created ${user.role} "${user.username}" (id ${user.id})${user.districtCode ? ` for district ${user.districtCode}` : ''} in ${handle.kind}.`);
} catch (err) {
  await handle.close();
  if (!(err instanceof AppError)) throw err;
  console.error(err.message);
  // process.exit, not exitCode: closing the embedded database resets the exit code.
  process.exit(1);
}
await handle.close();
if (pipedLines) process.stdin.destroy();
