// The x axis every plot and the timeline share: time (ms since test start)
// to pixels inside the plot margins.

export const PLOT_MARGIN = { left: 64, right: 14, top: 10, bottom: 24 };

/** ms -> x pixel; invert: x pixel -> ms. */
export interface TimeScale {
  (t: number): number;
  invert(x: number): number;
}

/** The scale putting [t0, t1] on the `innerW` pixels right of the left margin. */
export function timeScale(t0: number, t1: number, innerW: number): TimeScale {
  const sx = (t: number) => PLOT_MARGIN.left + ((t - t0) / (t1 - t0)) * innerW;
  sx.invert = (x: number) => t0 + ((x - PLOT_MARGIN.left) / innerW) * (t1 - t0);
  return sx;
}
