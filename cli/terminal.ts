// What faultline prints about histories can hold anything a system under test
// returned. Control characters in it could move the cursor, clear the screen
// or print a fake "valid" line, so they are shown as escapes instead.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

/** One line of terminal output with every control character (tabs aside) written as \uXXXX. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
