import type { TimeScale } from './time-scale.ts';

/** A series as a line through (ts[i], vs[i]); a null value breaks it, a point with no neighbours is a dot. */
export function drawLine(ctx: CanvasRenderingContext2D, sx: TimeScale, sy: (v: number) => number, ts: readonly number[], vs: readonly (number | null)[], color: string, width?: number): void {
  ctx.strokeStyle = ctx.fillStyle = color;
  ctx.lineWidth = width || 1.5;
  ctx.beginPath();
  let run = 0; // points in the current unbroken segment
  const dotIfAlone = (i: number) => {
    // A bucket with empty neighbours has no line to be part of: draw it as a dot.
    if (run === 1) ctx.fillRect(sx(ts[i]) - 2, sy(vs[i]!) - 2, 4, 4);
  };
  for (let i = 0; i < ts.length; i++) {
    const v = vs[i];
    if (v === null || v === undefined) {
      dotIfAlone(i - 1);
      run = 0;
      continue;
    }
    const x = sx(ts[i]);
    const y = sy(v);
    if (run > 0) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    run++;
  }
  dotIfAlone(ts.length - 1);
  ctx.stroke();
}
