import {styleText} from 'node:util'

import {printable} from './printable.js'

type Style = Parameters<typeof styleText>[0]

/**
 * Human-facing messages go to stderr so stdout stays clean for --json and pipes
 * (`pinctl consume pin --output json | jq`). styleText honours NO_COLOR and non-TTY streams.
 * Every message is made printable here (control characters escaped), whatever it quotes.
 */
export class Reporter {
  /** A progress line is on screen without its newline yet. */
  private pending = false

  constructor(
    private readonly quiet = false,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Ends a pending progress line before anything else is written. */
  private write(text: string): void {
    if (this.pending) {
      this.stream.write('\r\u001b[2K')
      this.pending = false
    }
    this.stream.write(text)
  }

  paint(style: Style, text: string): string {
    return styleText(style, text, {stream: this.stream})
  }

  info(message: string): void {
    if (!this.quiet) this.write(`${printable(message)}\n`)
  }

  step(message: string): void {
    if (!this.quiet) this.write(`${this.paint('cyan', '›')} ${printable(message)}\n`)
  }

  /**
   * A line that the next one replaces on a terminal (an elapsed-time ticker); elsewhere each is
   * its own line, so logs keep them.
   */
  progress(message: string): void {
    if (this.quiet) return
    if (this.stream.isTTY) {
      this.stream.write(`\r\u001b[2K${printable(message)}`)
      this.pending = true
    } else {
      this.stream.write(`${printable(message)}\n`)
    }
  }

  success(message: string): void {
    if (!this.quiet) this.write(`${this.paint('green', '✓')} ${printable(message)}\n`)
  }

  warn(message: string): void {
    this.write(`${this.paint('yellow', 'warning:')} ${printable(message)}\n`)
  }

  error(message: string, hint?: string): void {
    this.write(`${this.paint('red', 'error:')} ${printable(message)}\n`)
    if (hint) this.write(`  ${this.paint('dim', 'hint:')} ${printable(hint)}\n`)
  }
}

/**
 * Writes data to stdout. When the pipe is full (its reader is slower than us) the text is queued by
 * Node and a promise is returned that settles once the pipe has room again (or stdout is gone):
 * a streaming command waits for it instead of queueing without bound.
 */
export function writeData(text: string | Uint8Array, stream: NodeJS.WritableStream = process.stdout): Promise<void> | undefined {
  if (stream.write(text)) return undefined
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      stream.off('error', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}
