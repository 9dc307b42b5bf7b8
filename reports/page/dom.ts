// Building DOM nodes. Rule of this page: data reaches the DOM only through
// textContent / attribute setters of elements built here, never through
// innerHTML, and no handler is ever built from a string.

/** An event handler of this page; where it reads its event, the parameter is annotated at the call site. */
export type Handler = (event: never) => unknown;

/**
 * Attributes of el() / svg(): `class` sets className, `text` the text content,
 * `on<event>` adds a handler (functions only), anything else is set as text;
 * null, undefined and false leave the attribute out.
 */
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

/** A child: a node, text (numbers become text), nothing (null, undefined, false) or nested lists of those. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Creates an element: el('div', { class: 'x', title: 't' }, child, 'text', ...). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = String(value);
    else if (name === 'text') node.textContent = String(value);
    else if (name.startsWith('on')) {
      // Handlers are functions of this page only; a string is never made into code.
      if (typeof value === 'function') node.addEventListener(name.slice(2), value as EventListener);
    }
    else node.setAttribute(name, String(value));
  }
  appendChildren(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, built like el(): attributes set one by one, children appended as nodes or text. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) {
      if (typeof value === 'function') node.addEventListener(name.slice(2), value as EventListener);
    } else node.setAttribute(name, String(value));
  }
  appendChildren(node, children);
  return node;
}

function appendChildren(node: Element, children: readonly Child[]): void {
  for (const child of (children as readonly unknown[]).flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A link to a file of the run folder: relative paths only, each segment encoded. */
export function fileLink(relativePath: string, label?: string): HTMLAnchorElement {
  const safe = String(relativePath)
    .split('/')
    .filter((s) => s && s !== '..' && !/^[a-z][a-z0-9+.-]*:/i.test(s))
    .map(encodeURIComponent)
    .join('/');
  return el('a', { href: safe, target: '_blank', rel: 'noopener' }, label || relativePath);
}
