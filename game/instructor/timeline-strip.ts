import type { FleetTimeline } from '../view/round-timeline.ts';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = { hit: '#ff6b6b', recovered: '#6bd88f' } as const;

/**
 * A fleet's round as a thin strip: red ticks for hits (upper half), green for recoveries (lower half), each with its
 * time on hover, and the summary as text beside it for screen readers and print.
 */
export function timelineStrip(fleet: string, timeline: FleetTimeline): HTMLElement {
  const box = document.createElement('div');
  box.className = 'timeline';
  box.dataset['testid'] = 'timeline';
  box.dataset['fleet'] = fleet;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 1000 20');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${fleet}: ${timeline.summary}`);
  const axis = document.createElementNS(SVG, 'line');
  for (const [k, v] of Object.entries({ x1: 0, y1: 10, x2: 1000, y2: 10, stroke: '#22304f' }))
    axis.setAttribute(k, String(v));
  svg.append(axis);
  for (const mark of timeline.marks) {
    const tick = document.createElementNS(SVG, 'rect');
    const x = Math.min(996, mark.at * 1000);
    const attrs = { x, y: mark.kind === 'hit' ? 0 : 10, width: 4, height: 10, fill: COLOURS[mark.kind] };
    for (const [k, v] of Object.entries(attrs)) tick.setAttribute(k, String(v));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = mark.label;
    tick.append(title);
    svg.append(tick);
  }
  const summary = document.createElement('span');
  summary.textContent = timeline.summary;
  box.append(svg, summary);
  return box;
}
