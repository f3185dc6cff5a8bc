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
// --version and the root help (at most one argument) without loading oclif, when the answer is known to be oclif's
// own (src/cli/fast-path.ts); PINCTL_NO_FAST_PATH=1 turns that off. Anything wrong there (no dist/ yet) is oclif's.
let output
if (process.argv.length <= 3) {
  try {
    const [{join}, {fastPathOutput}] = await Promise.all([import('node:path'), import('../dist/cli/fast-path.js')])
    const invocation = {root: join(import.meta.dirname, '..'), argv: process.argv.slice(2), env: process.env}
    output = fastPathOutput({...invocation, stdoutIsTTY: Boolean(process.stdout.isTTY)})
  } catch {
    output = undefined
  }
}
if (output === undefined) {
  // Before oclif is imported, so that its modules come from the compile cache (src/cli/compile-cache.ts).
  await import('../dist/cli/compile-cache.js').then(({enableCompileCache}) => enableCompileCache(), () => undefined)
  // @oclif/core checks Node against its engines (>=18) with all of semver (~120 modules, ~9 ms); the check above is
  // stricter. Set only for the import, so that it reaches no child process.
  const skipEngineCheck = process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined
  if (skipEngineCheck) process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
  const {execute} = await import('@oclif/core')
  if (skipEngineCheck) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
  await execute({dir: import.meta.url})
} else {
  // As oclif does: a reader that went away (`pinctl --help | head -1`) is no error.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
  })
  process.stdout.write(output)
}
