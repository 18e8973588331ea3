/**
 * The launcher: read configuration, build the client if it is stale, build the app with the
 * start-up seed step and the published demo accounts (seeds/, which only launchers import),
 * listen, and shut down cleanly on SIGTERM/SIGINT (stop accepting, finish in-flight requests,
 * close the database, exit 0).
 */
import { ConfigError, loadConfig } from './kernel/config.ts';
import { buildApp } from './app.ts';
import { ensureClientBuilt } from './build-client.ts';
import { AuditKeyError } from './kernel/audit-key.ts';
import { AuditChainError } from './kernel/audit-chain.ts';
import { ReadReplicaError } from './kernel/db/connect.ts';
import { startupSeeding } from '../seeds/startup.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

await ensureClientBuilt(config.clientDir);
let app: Awaited<ReturnType<typeof buildApp>>;
try {
  app = await buildApp({ config, ...startupSeeding(config, { live: true }) });
} catch (err) {
  // The audit key or chain, or the read replica, refuses the start: say why, plainly.
  if (err instanceof AuditKeyError || err instanceof AuditChainError || err instanceof ReadReplicaError) {
    console.error(`Not starting: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    app.log.error('shutdown took longer than 10 s; exiting');
    process.exit(1);
  }, 10_000);
  timer.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(`园区用地一张图 is running at ${address} (database: ${app.dbKind})`);
  if (!config.publicOrigin && ['0.0.0.0', '::', ''].includes(config.host)) {
    app.log.warn(`HOST=${config.host} listens on every interface, but signed-in writes are accepted only from http://${config.host}:${config.port}: set PUBLIC_ORIGIN to the address users open (e.g. http://192.168.1.10:${config.port}).`);
  }
} catch (err) {
  app.log.error({ err }, 'could not start');
  process.exit(1);
}
