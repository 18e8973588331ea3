/**
 * Reading an uploaded zip safely (fflate's streaming `Unzip`): the uncompressed bytes are
 * counted as they are produced, so a zip bomb is stopped after at most the limit plus one small
 * step of output, whatever its headers claim. Entry names with `..`, an absolute path, a drive
 * letter or a backslash (zip-slip) refuse the whole file — nothing is ever written to disk, but a
 * file built to attack someone's unzip is not survey data. Directories and macOS metadata
 * (`__MACOSX/`, `._*`) are skipped.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { IMPORT_LIMITS } from './limits.ts';
import { fileRefused } from './types.ts';

export interface ZipEntry {
  /** The name as stored in the zip. */
  name: string;
  data: Uint8Array;
}

/** Feeding the decompressor this much at a time bounds one step's output (deflate ≤ 1032:1). */
const STEP = 16 * 1024;

export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05) && (data[3] === 0x04 || data[3] === 0x06);
}

function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name) || name.split('/').some((seg) => seg === '..') || name.includes('\0');
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * Entries whose name passes `wanted` (lower-cased path), decompressed with limits.
 * Throws a 400 with a reason: ZIP_UNSAFE_PATH, ZIP_BOMB, ZIP_TOO_LARGE, ZIP_INVALID.
 */
export function readZip(data: Uint8Array, wanted: (lowerName: string) => boolean, limits = IMPORT_LIMITS): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let total = 0;
  let failure: Error | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    const name = file.name;
    if (unsafeName(name)) {
      failure = fileRefused(
        'ZIP_UNSAFE_PATH',
        `The zip contains an entry with an unsafe path ("${name.slice(0, 120)}"): paths with "..", absolute paths or drive letters are refused`,
        `压缩包中有不安全的路径（“${name.slice(0, 120)}”），含 “..”、绝对路径或盘符的文件被拒绝`,
      );
      return;
    }
    const lower = name.toLowerCase();
    const base = lower.split('/').pop() ?? '';
    if (lower.endsWith('/') || lower.startsWith('__macosx/') || base.startsWith('._') || !wanted(lower)) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = fileRefused('ZIP_INVALID', `Entry ${name} of the zip cannot be decompressed: ${err.message}`, `压缩包中的 ${name} 无法解压：${err.message}`);
        return;
      }
      size += chunk.length;
      total += chunk.length;
      const ratio = file.size ? size / file.size : 0;
      if (total > limits.maxUnzippedBytes) {
        failure = fileRefused('ZIP_BOMB', `The zip expands to more than ${mb(limits.maxUnzippedBytes)}: refused as a possible zip bomb`, `压缩包解压后超过 ${mb(limits.maxUnzippedBytes)}，疑似“压缩炸弹”，已拒绝`, 413);
      } else if (size > limits.ratioFloorBytes && ratio > limits.maxCompressionRatio) {
        failure = fileRefused('ZIP_BOMB', `Entry ${name} expands more than ${limits.maxCompressionRatio}:1: refused as a possible zip bomb`, `压缩包中的 ${name} 压缩比超过 ${limits.maxCompressionRatio}:1，疑似“压缩炸弹”，已拒绝`, 413);
      } else if (file.originalSize !== undefined && file.originalSize > 0 && size > file.originalSize) {
        failure = fileRefused('ZIP_INVALID', `Entry ${name} is larger than its header says: the zip is corrupt or forged`, `压缩包中的 ${name} 实际大小与声明不符，文件损坏或被篡改`);
      }
      if (failure) {
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) {
        const out = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) { out.set(c, at); at += c.length; }
        entries.push({ name, data: out });
      }
    };
    try {
      file.start();
    } catch (err) {
      failure = fileRefused('ZIP_INVALID', `Entry ${name} uses an unsupported compression (${file.compression}): ${(err as Error).message}`, `压缩包中的 ${name} 使用了不支持的压缩方式`);
    }
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < data.length && !failure; i += STEP) unzip.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch (err) {
    if (!failure) failure = fileRefused('ZIP_INVALID', `The zip cannot be read: ${(err as Error).message}`, `压缩包无法读取：${(err as Error).message}`);
  }
  if (failure) throw failure;
  return entries;
}
