import {Writable} from 'node:stream'

/** A stderr stand-in for a Reporter: keeps what is written; colours off; a terminal or not as asked. */
export function captureStream(isTTY: boolean): {stream: NodeJS.WriteStream; text: () => string} {
  let text = ''
  const writable = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString()
      done()
    },
  }) as unknown as NodeJS.WriteStream
  Object.assign(writable, {isTTY, hasColors: () => false, getColorDepth: () => 1})
  return {stream: writable, text: () => text}
}
