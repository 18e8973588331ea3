/**
 * One echarts chart (echarts 6, tree-shaken: bar charts, grid, legend, tooltip, mark lines, SVG
 * renderer — nothing else is bundled). SVG keeps text crisp when printed or zoomed. The chart is
 * an image to assistive technology, labelled by its caption and described by the table that
 * holds the same figures as text (`describedBy`).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use as registerCharts, type EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useId, useRef } from 'react';
import type { ChartOption } from './charts.ts';

registerCharts([BarChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);

export function EChart({
  title,
  summary,
  option,
  height,
  describedBy,
  testId,
}: {
  title: string;
  /** What the chart shows, in one sentence, for screen readers (the table has the figures). */
  summary: string;
  option: ChartOption;
  height: number;
  /** id of the table with the same figures. */
  describedBy?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const titleId = useId();
  const summaryId = useId();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.current = null;
      c.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <figure className="dash-chart" data-testid={testId}>
      <figcaption id={titleId} className="dash-chart-title">
        {title}
      </figcaption>
      <div
        ref={ref}
        className="dash-chart-canvas"
        style={{ height }}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={describedBy ? `${summaryId} ${describedBy}` : summaryId}
      />
      <p id={summaryId} className="visually-hidden">
        {summary}
      </p>
    </figure>
  );
}
