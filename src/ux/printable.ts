/**
 * Text from the user or the host that reaches a message is made printable first: an ESC from a
 * group name or a host's error output could otherwise recolour, move or erase what the operator
 * sees, and a CR could overwrite a line. Record values on stdout are the user's data and are
 * never passed through here.
 */

// C0 controls but tab and newline, DEL, and the C1 controls (an 8-bit CSI is one of them).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g

const NAMED: Record<string, string> = {'\r': '\\r', '\u001b': '\\e', '\b': '\\b', '\f': '\\f', '\v': '\\v'}

/** Escapes control characters (\e, \r, \x07 …); newlines and tabs stay, so multi-line output keeps its shape. */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** One value inside a message: every control character escaped (newlines too) and cut to `max` characters. */
export function shown(value: string, max = 120): string {
  const escaped = printable(value).replaceAll('\n', '\\n').replaceAll('\t', '\\t')
  return escaped.length > max ? `${escaped.slice(0, max - 1)}… (${value.length} characters)` : escaped
}
