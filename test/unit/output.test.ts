import {describe, expect, it} from 'vitest'

import {Reporter} from '../../src/ux/output.js'
import {captureStream} from './capture-stream.js'

describe('Reporter', () => {
  it('escapes control characters in every message and hint it writes', () => {
    const log = captureStream(false)
    const reporter = new Reporter(false, log.stream)
    reporter.step('consuming as group x\u001b[2J')
    reporter.error('cannot read x\r', 'fix \u001b]0;title\u0007')
    // eslint-disable-next-line no-control-regex -- the assertion is that none is left
    expect(log.text()).not.toMatch(/[\u001b\r\u0007]/)
    expect(log.text()).toContain('x\\e[2J')
    expect(log.text()).toContain('cannot read x\\r')
  })

  it('redraws progress in place on a terminal and clears it before the next message', () => {
    const tty = captureStream(true)
    const reporter = new Reporter(false, tty.stream)
    reporter.progress('kafka: 5s')
    reporter.progress('kafka: 10s')
    reporter.success('kafka changed')
    expect(tty.text()).toBe('\r\u001b[2Kkafka: 5s\r\u001b[2Kkafka: 10s\r\u001b[2K✓ kafka changed\n')
  })

  it('writes every progress message as a line elsewhere, so logs keep them', () => {
    const log = captureStream(false)
    const reporter = new Reporter(false, log.stream)
    reporter.progress('kafka: 5s')
    reporter.error('failed', 'do this')
    expect(log.text()).toBe('kafka: 5s\nerror: failed\n  hint: do this\n')
  })

  it('stays quiet in --json mode except for warnings and errors', () => {
    const log = captureStream(false)
    const reporter = new Reporter(true, log.stream)
    reporter.info('i')
    reporter.step('s')
    reporter.progress('p')
    reporter.success('ok')
    reporter.warn('careful')
    expect(log.text()).toBe('warning: careful\n')
  })
})
