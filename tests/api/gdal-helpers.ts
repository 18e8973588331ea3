/**
 * GDAL for the tests that read our files with it (gdal-roundtrip, exports-zh): whether it is
 * installed (CI installs gdal-bin; elsewhere those tests say they were skipped and why), running
 * its tools, and a scratch folder removed after the file's tests.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const HAVE_GDAL = ['ogr2ogr', 'ogrinfo'].every((tool) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0);

/** Why `what` was skipped here, printed once by the file that skips it. */
export function gdalSkipReason(file: string, what: string): string {
  const reason = `GDAL (ogr2ogr, ogrinfo) is not installed, so ${what} were SKIPPED: apt-get install -y gdal-bin`;
  if (!HAVE_GDAL) console.warn(`[tests/api/${file}] ${reason}`);
  return reason;
}

/** Runs a GDAL tool; its stdout, or an error with its stderr. */
export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A scratch folder for the calling test file, removed after its tests. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
