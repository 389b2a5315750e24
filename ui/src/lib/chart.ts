// Geometry for the progress chart: weeks along x, rates 0–100% up y, dreams as markers.
import type { ProgressReport } from './api';

export const CHART = { width: 640, height: 240, left: 44, right: 16, top: 14, bottom: 30 };
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export const plotWidth = CHART.width - CHART.left - CHART.right;
export const plotHeight = CHART.height - CHART.top - CHART.bottom;

/** x of a (possibly fractional) week index among `n` weeks. */
export function xAt(index: number, n: number): number {
  if (n <= 1) return CHART.left + plotWidth / 2;
  return CHART.left + (index / (n - 1)) * plotWidth;
}

/** y of a 0–1 rate. */
export function yAt(rate: number): number {
  return CHART.top + (1 - Math.max(0, Math.min(1, rate))) * plotHeight;
}

/** An SVG path through the weeks that have a rate, broken where a week has none. */
export function linePath(rates: (number | null)[]): string {
  let path = '';
  let pen = false;
  rates.forEach((rate, i) => {
    if (rate == null) {
      pen = false;
      return;
    }
    const cmd = pen ? 'L' : 'M';
    path += `${path ? ' ' : ''}${cmd}${xAt(i, rates.length).toFixed(1)},${yAt(rate).toFixed(1)}`;
    pen = true;
  });
  return path;
}

/** Where on the week axis an instant falls (0 = the first week's start), clamped to the chart. */
export function weekIndexOf(at: string, report: ProgressReport): number | null {
  if (!report.weeks.length) return null;
  const first = new Date(report.weeks[0].week_start).getTime();
  const t = new Date(at).getTime();
  if (Number.isNaN(first) || Number.isNaN(t)) return null;
  return Math.max(0, Math.min(report.weeks.length - 1, (t - first) / WEEK_MS));
}

/** True when some week has a graded outcome. */
export function hasGrades(report: ProgressReport): boolean {
  return report.weeks.some((w) => Object.values(w.outcomes).some((o) => o && o.rate != null));
}

/** Distinct line colors that read in light and dark themes. */
export const LINE_COLORS = ['#4c6ef5', '#2f9e44', '#e8590c', '#ae3ec9', '#1098ad', '#e03131', '#f08c00'];
