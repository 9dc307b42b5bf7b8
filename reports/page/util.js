// Page helpers shared by every view. Rule of this page: data reaches the DOM
// only through textContent / attribute setters of elements built here, never
// through innerHTML, and no handler is ever built from a string.

/** Creates an element: el('div', { class: 'x', title: 't' }, child, 'text', ...). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = String(value);
    else if (name.startsWith('on')) {
      // Handlers are functions of this page only; a string is never made into code.
      if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    }
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, built like el(): attributes set one by one, children appended as nodes or text. */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) {
      if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    } else node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A link to a file of the run folder: relative paths only, each segment encoded. */
function fileLink(relativePath, label) {
  const safe = String(relativePath)
    .split('/')
    .filter((s) => s && s !== '..' && !/^[a-z][a-z0-9+.-]*:/i.test(s))
    .map(encodeURIComponent)
    .join('/');
  return el('a', { href: safe, target: '_blank', rel: 'noopener' }, label || relativePath);
}

const OUTCOME_NAMES = ['ok', 'fail', 'info'];
const OUTCOME_COLORS = ['#3b8f4e', '#d03c3c', '#e39a1c'];
const FAULT_COLORS = ['#8e6cc0', '#3a7bbf', '#c2588f', '#4f9e9e', '#b08a2e', '#6b7a8f'];

/** A stable colour per fault kind, in order of first appearance. */
function faultColor(fault) {
  const kinds = faultColor.kinds || (faultColor.kinds = []);
  let i = kinds.indexOf(fault);
  if (i < 0) {
    kinds.push(fault);
    i = kinds.length - 1;
  }
  return FAULT_COLORS[i % FAULT_COLORS.length];
}

function verdictWord(valid) {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

/** ms -> "12.345 s" / "830 ms" / "42 µs". */
function formatDuration(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return '∞';
  const abs = Math.abs(ms);
  if (abs >= 1000) return (ms / 1000).toFixed(abs >= 100000 ? 1 : 3) + ' s';
  if (abs >= 1) return ms.toFixed(abs >= 100 ? 0 : 2) + ' ms';
  return (ms * 1000).toFixed(0) + ' µs';
}

function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}

/** JSON for people; long values are cut so one huge record cannot freeze the page. */
function prettyJson(value, limit) {
  let text;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (e) {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  const max = limit || 200000;
  return text.length > max ? text.slice(0, max) + '\n… (' + formatCount(text.length - max) + ' more characters)' : text;
}

/** Runs each job in its own task once the page has painted, then `done`: the page stays responsive meanwhile. */
function runAfterPaint(jobs, done) {
  let next = 0;
  const step = () => {
    if (next < jobs.length) {
      jobs[next++]();
      setTimeout(step, 0);
    } else done();
  };
  requestAnimationFrame(() => setTimeout(step, 0));
}

/** First index in [0, n) for which pred(i) is true, pred monotonic false..true. */
function lowerBound(n, pred) {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A canvas sized for the device's pixel ratio; returns its 2D context in CSS pixels. */
function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.max(1, Math.round(height * ratio));
  canvas.style.width = width + 'px';
  canvas.style.height = height + 'px';
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** "Nice" tick values covering [lo, hi]. */
function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(12));
  return ticks;
}
