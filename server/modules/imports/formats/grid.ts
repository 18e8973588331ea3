/**
 * A uniform grid over bounding boxes, for "which features are near this one" in an import of
 * thousands of plots: each box is filed under the cells it covers, a query visits only the cells
 * of its own box — O(n) overall instead of comparing every pair. Boxes covering too many cells
 * (a huge feature) go on a short list every query checks.
 */
import type { BBox } from '../../../../shared/domain.ts';
import { bboxesOverlap } from '../../../../shared/geometry/index.ts';

export class BBoxGrid<T> {
  private cells = new Map<string, { box: BBox; item: T }[]>();
  private large: { box: BBox; item: T }[] = [];

  /** `cellDeg` ≈ a few plot widths: 0.002° is about 200 m at Guangzhou. */
  constructor(private readonly cellDeg = 0.002, private readonly maxCells = 400) {}

  private range([w, s, e, n]: BBox) {
    const c = this.cellDeg;
    return { x0: Math.floor(w / c), x1: Math.floor(e / c), y0: Math.floor(s / c), y1: Math.floor(n / c) };
  }

  insert(box: BBox, item: T): void {
    const { x0, x1, y0, y1 } = this.range(box);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.maxCells) {
      this.large.push({ box, item });
      return;
    }
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) {
      const k = `${x}:${y}`;
      let list = this.cells.get(k);
      if (!list) this.cells.set(k, (list = []));
      list.push({ box, item });
    }
  }

  /** Items whose box overlaps `box` (each once). */
  query(box: BBox): T[] {
    const seen = new Set<T>();
    const out: T[] = [];
    const consider = (e: { box: BBox; item: T }) => {
      if (!seen.has(e.item) && bboxesOverlap(box, e.box)) { seen.add(e.item); out.push(e.item); }
    };
    this.large.forEach(consider);
    const { x0, x1, y0, y1 } = this.range(box);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.maxCells) {
      for (const list of this.cells.values()) list.forEach(consider);
      return out;
    }
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) this.cells.get(`${x}:${y}`)?.forEach(consider);
    return out;
  }
}
