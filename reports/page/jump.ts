import { state } from './view-state.ts';

/** Selects op `id` and scrolls to its record; its bar in a counterexample, if drawn, is outlined. */
export function jumpTo(id: number): void {
  state.select(id);
  const cx = document.querySelector('.cx-op[data-op="' + id + '"]');
  document.getElementById('record')!.scrollIntoView({ block: 'start' });
  if (cx) cx.classList.add('cx-focus');
}
