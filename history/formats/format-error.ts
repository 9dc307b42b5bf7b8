/** A history file that cannot be read: names the file, the line and what was expected. */
export class HistoryFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'HistoryFileError';
  }
}
