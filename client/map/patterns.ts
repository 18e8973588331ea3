/**
 * Fill patterns drawn in memory (no sprite file, nothing fetched): diagonal stripes in each
 * sector's colour on transparent, for parks that have a second sector.
 */
import { SECTORS, type Sector } from '../../shared/domain.ts';
import { hatchImageId, PARK_DOT_IMAGE } from './layers.ts';
import { SECTOR_COLORS } from './palette.ts';

export interface PatternImage {
  id: string;
  image: { width: number; height: number; data: Uint8Array };
  pixelRatio: number;
  /** A signed-distance-field image: coloured by `icon-color`, ringed by `icon-halo-*`. */
  sdf?: boolean;
}


function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Stripes at 45°, `size` px square (device pixels), a stripe `width` px wide. */
export function stripes(color: string, size = 16, width = 5): Uint8Array {
  const [r, g, b] = hexToRgb(color);
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = (x + y) % size;
      if (d < width) {
        const i = (y * size + x) * 4;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
        data[i + 3] = 255;
      }
    }
  }
  return data;
}

export function hatchPatterns(): PatternImage[] {
  return SECTORS.map((s: Sector) => ({
    id: hatchImageId(s),
    image: { width: 16, height: 16, data: stripes(SECTOR_COLORS[s]) },
    pixelRatio: 2,
  }));
}

/**
 * A disc of `radius` device pixels as a signed distance field, encoded like maplibre's own SDF
 * glyphs (TinySDF: edge at 0.75, 8 px of falloff each side), so halos up to 8 device px work.
 */
export function sdfDisc(radius = 12, falloff = 8): { width: number; height: number; data: Uint8Array } {
  const size = 2 * (radius + falloff);
  const c = size / 2;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const outside = Math.hypot(x + 0.5 - c, y + 0.5 - c) - radius; // > 0 outside the disc
      const a = Math.round(255 - 255 * (outside / falloff + 0.25));
      data[(y * size + x) * 4 + 3] = Math.max(0, Math.min(255, a));
    }
  }
  return { width: size, height: size, data };
}

/** Every image the style uses, drawn here rather than fetched from a sprite. */
export function styleImages(): PatternImage[] {
  return [...hatchPatterns(), { id: PARK_DOT_IMAGE, image: sdfDisc(), pixelRatio: 2, sdf: true }];
}
