/**
 * `npm run dev`: the API server (restarted by tsx on change) and Vite's dev server with hot
 * reload, which proxies /api to the server. Open http://127.0.0.1:5173.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const children: ChildProcess[] = [];
function run(name: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code) => {
    console.log(`[dev] ${name} exited (${code}); stopping`);
    shutdown();
  });
  children.push(child);
}
function shutdown() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exitCode = 0;
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// The dev server serves the client itself, so the API server need not build it. The browser is
// at Vite's origin, which is then the app's origin for cookie writes (not the API's HOST:PORT).
run('server', ['tsx', 'watch', '--clear-screen=false', 'server/main.ts'], { IAB_SKIP_CLIENT_BUILD: '1', PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN || 'http://127.0.0.1:5173' });
run('vite', ['vite', '--host', '127.0.0.1', '--port', '5173']);
