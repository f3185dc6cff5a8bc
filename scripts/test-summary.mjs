// Prints the plain closing line CI reads, `N passed, N failed[, N skipped]`, from vitest's JSON report.
// A test file that failed to load, or whose beforeAll failed (vitest then marks its tests skipped), has no
// failed test in the report; it counts as one failure so it cannot hide.
import {readFileSync} from 'node:fs'

const path = process.argv[2]
let report
try {
  report = JSON.parse(readFileSync(path, 'utf8'))
} catch (error) {
  console.log(`could not read the test report ${path}: ${error.message}`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
)
for (const file of brokenFiles) console.log(`failed to run: ${file.name}: ${(file.message ?? '').split('\n')[0]}`)
const passed = report.numPassedTests ?? 0
const failed = (report.numFailedTests ?? 0) + brokenFiles.length
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
