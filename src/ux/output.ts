import {styleText} from 'node:util'

type Style = Parameters<typeof styleText>[0]

/**
 * Human-facing messages go to stderr so stdout stays clean for --json and pipes
 * (`pinctl consume pin --output json | jq`). styleText honours NO_COLOR and non-TTY streams.
 */
export class Reporter {
  constructor(private readonly quiet = false, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  paint(style: Style, text: string): string {
    return styleText(style, text, {stream: this.stream})
  }

  info(message: string): void {
    if (!this.quiet) this.stream.write(`${message}\n`)
  }

  step(message: string): void {
    if (!this.quiet) this.stream.write(`${this.paint('cyan', '›')} ${message}\n`)
  }

  success(message: string): void {
    if (!this.quiet) this.stream.write(`${this.paint('green', '✓')} ${message}\n`)
  }

  warn(message: string): void {
    this.stream.write(`${this.paint('yellow', 'warning:')} ${message}\n`)
  }

  error(message: string, hint?: string): void {
    this.stream.write(`${this.paint('red', 'error:')} ${message}\n`)
    if (hint) this.stream.write(`  ${this.paint('dim', 'hint:')} ${hint}\n`)
  }
}
