import {failedChecksMessage, type DoctorReport} from '../doctor/checks.js'
import {ExitCode} from '../errors.js'
import {failedTopicsMessage, type TopicResult} from '../kafka/topics.js'
import type {ProvisionReport} from '../provision/runner.js'
import type {HostTaskResult} from './run.js'

/** What each command's result on one host comes to in the inventory summary: the exit code it would have had alone. */
export function provisionOutcome(report: ProvisionReport): HostTaskResult<ProvisionReport> {
  return {status: report.changed > 0 ? 'changed' : 'ok', exitCode: ExitCode.ok, result: report}
}

export function doctorOutcome(report: DoctorReport): HostTaskResult<DoctorReport> {
  if (report.ok) return {status: 'ok', exitCode: ExitCode.ok, result: report}
  return {status: 'failed', exitCode: ExitCode.verify, result: report, detail: failedChecksMessage(report)}
}

export function topicsOutcome(topics: TopicResult[]): HostTaskResult<{topics: TopicResult[]}> {
  const failed = topics.filter((topic) => topic.status === 'failed')
  if (failed.length > 0) {
    return {status: 'failed', exitCode: ExitCode.remote, result: {topics}, detail: failedTopicsMessage(failed.length, topics.length)}
  }
  return {status: topics.some((topic) => topic.status === 'created') ? 'changed' : 'ok', exitCode: ExitCode.ok, result: {topics}}
}
