/** The tile cache is bounded by bytes, not entries (server/modules/tiles/service.ts), and its bound comes from TILE_CACHE_MB. */
import { describe, expect, it } from 'vitest';
import { ByteLru, tileCacheBytesFromEnv } from '../../server/modules/tiles/service.ts';
import { spatialPathFromEnv } from '../../server/kernel/db/spatial.ts';

const tile = (bytes: number, etag = '"e"') => ({ etag, body: Buffer.alloc(bytes) });

describe('tile cache bounded by bytes', () => {
  it('evicts the least recently used tiles once the bytes exceed the bound', () => {
    const lru = new ByteLru(10_000);
    lru.set('a', tile(3000));
    lru.set('b', tile(3000));
    lru.set('c', tile(3000));
    expect(lru.size).toBe(3);
    expect(lru.get('a')).toBeDefined(); // a is now the most recent
    lru.set('d', tile(3000));
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBeDefined();
    expect(lru.bytes).toBeLessThanOrEqual(10_000);
  });

  it('accounts for a replaced entry and never keeps one larger than the bound', () => {
    const lru = new ByteLru(10_000);
    lru.set('a', tile(4000));
    lru.set('a', tile(1000));
    expect(lru.size).toBe(1);
    expect(lru.bytes).toBeLessThan(2000);
    lru.set('huge', tile(20_000));
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.get('a')).toBeDefined();
    const off = new ByteLru(0);
    off.set('a', tile(0));
    expect(off.size).toBe(0);
  });

  it('reads TILE_CACHE_MB (default 64 MB) and SPATIAL_PATH, refusing bad values with a message', () => {
    expect(tileCacheBytesFromEnv({})).toBe(64 * 1024 * 1024);
    expect(tileCacheBytesFromEnv({ TILE_CACHE_MB: '8' })).toBe(8 * 1024 * 1024);
    expect(tileCacheBytesFromEnv({ TILE_CACHE_MB: '0' })).toBe(0);
    expect(() => tileCacheBytesFromEnv({ TILE_CACHE_MB: 'lots' })).toThrow(/TILE_CACHE_MB/);
    expect(spatialPathFromEnv({})).toBeUndefined();
    expect(spatialPathFromEnv({ SPATIAL_PATH: 'jsonb' })).toBe('jsonb');
    expect(() => spatialPathFromEnv({ SPATIAL_PATH: 'gis' })).toThrow(/SPATIAL_PATH/);
  });
});
