// Lint for src/, test/ and the project's own scripts; formatting is Prettier's ("prettier" in package.json), so the
// style rules that would fight it are off (eslint-config-prettier).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', '.sandbox/', 'bench/out/', 'test-results/', 'scripts/sandbox.d/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {globals: {...globals.node}},
    rules: {
      // Unused names are errors, but a leading underscore marks one kept on purpose (a callback's shape).
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      // Prettier wraps code at 140 but not strings, comments or regular expressions: this catches those.
      'max-len': ['error', {code: 140, ignoreUrls: false}],
    },
  },
  // A source file is about one thing: past 350 lines it is time to split it.
  {files: ['src/**/*.ts'], rules: {'max-lines': ['error', {max: 350}]}},
)
