/**
 * The one protocol for reading a host: a POSIX sh script prints `key=value` lines, and any value that
 * may hold a newline (a file, a command's output) travels base64-encoded on its line. Every probe
 * (setup-client's facts, doctor, rest-proxy status, verify, the broker probe) speaks it, and this
 * parser reads them all.
 */
/**
 * How much of an HTTP answer (GET /topics) a probe brings back: whole lists of topics, even thousands,
 * but bounded against a runaway body. Messages show only the start of it.
 */
export const PROBE_BODY_LIMIT = 1024 * 1024

export const PROBE_FUNCTIONS = String.raw`kv() { printf '%s=%s\n' "$1" "$2"; }
b64() { if [ -f "$1" ]; then base64 < "$1" | tr -d '\n'; fi; }
b64s() { base64 | tr -d '\n'; }`

/** One probe's answer: the last value of each key wins, so a probe may correct itself. */
export class ProbeAnswer {
  private readonly values = new Map<string, string>()

  constructor(output: string, prefix = '') {
    for (const line of output.split('\n')) {
      if (prefix && !line.startsWith(prefix)) continue
      const index = line.indexOf('=')
      if (index > prefix.length) this.values.set(line.slice(prefix.length, index), line.slice(index + 1))
    }
  }

  /** The raw value, undefined when the key was not printed. */
  get(key: string): string | undefined {
    return this.values.get(key)
  }

  /** A base64 value decoded; undefined when absent or empty. */
  text(key: string): string | undefined {
    const value = this.values.get(key)
    return value ? Buffer.from(value, 'base64').toString('utf8') : undefined
  }

  yes(key: string): boolean {
    return this.values.get(key) === 'yes'
  }

  /** A whole non-negative number, or undefined. */
  int(key: string): number | undefined {
    const value = this.values.get(key)?.trim()
    return value && /^\d+$/.test(value) ? Number(value) : undefined
  }
}

export function parseProbe(output: string, prefix = ''): ProbeAnswer {
  return new ProbeAnswer(output, prefix)
}
