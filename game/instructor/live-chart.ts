import { chartPoints, type ChartSample, type ChartSeries } from '../view/chart-series.ts';
import { words } from '../i18n/language.ts';
import { formatNumber } from '../i18n/format.ts';
import { pageFont } from '../i18n/page.ts';

const LINES: ['chartFleetsAlive' | 'chartShipsFlying', (s: ChartSample) => number, string][] = [
  ['chartFleetsAlive', (s) => s.fleetsAlive, '#ffd54a'],
  ['chartShipsFlying', (s) => s.shipsFlying, '#4fc3f7'],
];

/** Draws the round's fleets-alive and ships-flying lines on a plain canvas; the legend gives the counts now. */
export function drawChart(canvas: HTMLCanvasElement, series: ChartSeries, now: Omit<ChartSample, 't'>): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.font = `14px ${pageFont()}`;
  LINES.forEach(([name, value, colour], i) => {
    const points = chartPoints(series, value, width, height - 20);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    points.forEach((p, j) => (j === 0 ? ctx.moveTo(p.x, p.y + 20) : ctx.lineTo(p.x, p.y + 20)));
    ctx.stroke();
    ctx.fillStyle = colour;
    ctx.fillText(`${words().instructor[name]}: ${formatNumber(value({ t: 0, ...now }))}`, 8 + i * 180, 14);
  });
}
