// Every checker's result as JSON, folded.
import { el } from './dom.ts';
import { prettyJson, verdictWord } from './format.ts';
import { model } from './model.ts';

export function checkerDetailsSection(): HTMLElement {
  return el('section', { id: 'checker-details' }, el('h2', {}, 'Checker results'),
    model.results.checkers.map((r) => el('details', {}, el('summary', {}, r.checker + ': ' + verdictWord(r.valid)), el('pre', {}, prettyJson(r.details === undefined ? r : r.details)))),
  );
}
