/**
 * The process as an operator runs it: `server/main.ts` with DATA_DIR, SIGTERM, restart.
 * Data must survive a restart, the second start must not seed again, and SIGTERM exits 0.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iab-data-'));
// An empty client folder: this test is about the server process, not the web build.
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iab-client-'));
fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>test</title>');

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(clientDir, { recursive: true, force: true });
});

async function start(extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, CLIENT_DIR: clientDir, PORT: '0', LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('')}`)), 150_000);
    const onData = (chunk: Buffer) => {
      logs.push(chunk.toString());
      const m = /is running at (http:\/\/[\d.:]+)/.exec(logs.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs.join('')}`)));
  });
  return { child, url, logs };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('the server process', () => {
  it('serves, keeps its data across a restart, and exits 0 on SIGTERM', async () => {
    const first = await start();
    const health = await fetch(`${first.url}/api/health`).then((r) => r.json());
    expect(health).toEqual({ status: 'ok', database: 'pglite' });
    const parks = (await fetch(`${first.url}/api/parks`).then((r) => r.json())) as GeoJSON.FeatureCollection;
    expect(parks.features).toHaveLength(12);
    const plotsBefore = (await fetch(`${first.url}/api/plots?limit=50000`).then((r) => r.json())) as GeoJSON.FeatureCollection;
    expect(first.logs.join('')).toMatch(/seeded an empty database/);
    // The audit key file was created on this first start, readable by its owner only.
    expect(fs.statSync(path.join(dataDir, 'audit.key')).mode & 0o777).toBe(0o600);
    // The web app is served for client routes (single-page app fallback).
    const page = await fetch(`${first.url}/invest`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>test<\/title>/);
    expect(await stop(first.child)).toBe(0);

    const second = await start();
    const plotsAfter = (await fetch(`${second.url}/api/plots?limit=50000`).then((r) => r.json())) as GeoJSON.FeatureCollection;
    expect(plotsAfter.features.map((f) => f.properties?.code)).toEqual(plotsBefore.features.map((f) => f.properties?.code));
    expect(second.logs.join('')).not.toMatch(/seeded an empty database/);
    expect(await stop(second.child)).toBe(0);
  }, 400_000); // two cold starts of a child process (tsx + PGlite + migrations) on a busy 2-core machine

  it('refuses bad configuration with a message naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://x', CLIENT_DIR: clientDir, AUDIT_KEY: 'not-a-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/PORT must be an integer/);
    expect(err).toMatch(/DATABASE_URL must start with postgres/);
    expect(err).toMatch(/AUDIT_KEY must be 64–128 hex digits/);
  });

  it('refuses to start when the audit key file holds no key, saying which file and what to do', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iab-badkey-'));
    fs.writeFileSync(path.join(dir, 'audit.key'), 'garbage\n', { mode: 0o600 });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', AUDIT_KEY: '', DATA_DIR: dir, CLIENT_DIR: clientDir, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(2);
      expect(err).toContain(`Not starting: The audit key file ${path.join(dir, 'audit.key')} does not hold a key`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
