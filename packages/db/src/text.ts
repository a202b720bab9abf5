import { z } from 'zod';

/*
 * Text that people type, as every package checks it. Control characters are refused: a NUL is
 * stored in full but read back cut short by some clients and drivers, and the others have no place
 * in a name. Tab and line breaks are allowed only in text with lines (a description, a note).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const LINE = /^[^\u0000-\u001f\u007f-\u009f]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;

export const CONTROL_CHARACTER_REASON = 'No control characters (such as NUL or a line break)';
export const CONTROL_CHARACTER_IN_LINES_REASON =
  'No control characters (such as NUL); tab and line breaks are fine';

/** One line of text: trimmed, `min` to `max` characters, no control characters. */
export function textLine(max: number, min = 1) {
  return z.string().trim().min(min).max(max).regex(LINE, CONTROL_CHARACTER_REASON);
}

/** Text with lines (a description, a note): trimmed, `min` to `max` characters, tab and line breaks allowed. */
export function textLines(max: number, min = 1) {
  return z.string().trim().min(min).max(max).regex(LINES, CONTROL_CHARACTER_IN_LINES_REASON);
}
