/**
 * Quotes one value for a POSIX shell. Every user-provided value that reaches a remote
 * command goes through here; nothing is concatenated raw.
 */
export function shellQuote(value: string | number): string {
  const text = String(value)
  if (text.includes('\0')) throw new Error('a shell argument cannot contain a NUL byte')
  if (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(text)) return text
  return `'${text.replaceAll("'", `'\\''`)}'`
}
