// A transaction of an Elle example: its tooltip, its button, opening its op record.
import type { ElleTxnView } from '../elle-view.ts';
import { el } from './dom.ts';
import { jumpTo } from './jump.ts';

/** Opens the transaction's op record in the panel the timeline uses. */
export function openTxn(t: ElleTxnView): void {
  if (t.id >= 0) jumpTo(t.id);
}

export function txnTitle(t: ElleTxnView): string {
  return t.name + (t.process !== '' ? ' — process ' + t.process + ', ' + t.type + ', history index ' + t.index : '') + (t.ops ? '\n' + t.ops : '') + (t.id < 0 ? '\n(not in this report’s history)' : '');
}

export function txnButton(t: ElleTxnView): HTMLButtonElement {
  return el('button', { class: 'txn-link', 'data-op': String(t.id), 'data-txn': t.name, disabled: t.id < 0, title: txnTitle(t), onclick: () => openTxn(t) }, t.name);
}
