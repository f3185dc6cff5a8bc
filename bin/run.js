#!/usr/bin/env node
// Checked before anything is imported: oclif 4, execa and the AWS SDK need Node 22+.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(
    `error: pinctl needs Node.js 22 or newer, this is ${process.version}\n` +
      '  hint: run it as `npx pinctl …` in the project (npm brings Node 24), or put node_modules/.bin first on PATH\n',
  )
  process.exit(2)
}
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
