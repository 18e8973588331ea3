/**
 * Colours of the map, shared by the layer styles and the legend so the two can't drift apart.
 * Calm, distinguishable hues; status colours read at a glance (green = can be supplied,
 * amber = held, slate = taken, grey = withdrawn).
 */
import type { PlotStatus, Sector } from '../../shared/domain.ts';

export const SECTOR_COLORS = {
  ngit: '#2f6db5', // 新一代信息技术: blue
  ai: '#7d55b8', // 人工智能: violet
  biomed: '#c2557a', // 生物医药: rose
} as const satisfies Record<Sector, string>;

export const STATUS_COLORS = {
  available: '#2e9d5b',
  held: '#e3a21a',
  allocated: '#5f7286',
  withdrawn: '#b3aaa0',
  retired: '#d9d4cc', // shown only in history (editor): replaced by a split or merge
} as const satisfies Record<PlotStatus, string>;

export const BASE_COLORS = {
  background: '#e6ebf0',
  districtFill: '#f8f8f5',
  districtFillHover: '#f1f3ee',
  districtLine: '#8d9aab',
  districtLabel: '#5b6878',
  labelHalo: '#ffffff',
  parkLabel: '#1f2d3d',
  plotLine: '#ffffff',
  selected: '#f25c05',
  hover: '#1f2d3d',
} as const;
