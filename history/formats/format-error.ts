import { UserError } from '../errors.ts';

/** A history file that cannot be read: names the file, the line and what was expected. Bad input: exit 2, no stack trace. */
export class HistoryFileError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'HistoryFileError';
  }
}
