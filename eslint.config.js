// ESLint (typescript-eslint with type information) over the TypeScript that tsconfig.json type-checks. A small rule
// set that catches what tsc does not: promises nobody awaits, code nobody uses, tests focused or skipped by mistake.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['node_modules/', 'cdk.out/', '**/dist/', '.data/', '.data-deployed/', 'test-output/', '**/*.js', '**/*.mjs', 'web-widget/build.ts']),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // a promise nobody awaits loses its error (and, in a handler, may run after the response): await it, return
      // it, or mark a deliberate fire-and-forget with `void`
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-unused-expressions': 'error',
      'no-unused-private-class-members': 'error',
      'no-unused-labels': 'error',
      'no-unreachable': 'error',
    },
  },
  {
    // runtime code reaches zod through shared/validation.ts (zod/mini with English messages only): classic zod, or any
    // other way in, would bring its whole API or every locale into the Lambda bundles
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts', 'cli/**/*.ts'],
    ignores: ['shared/validation.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['zod', 'zod/*'], message: "import * as z from 'shared/validation.js' instead" }] }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // a focused or skipped test left in by mistake silently shrinks the suite; runIf / skipIf state a condition
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(only|skip|todo)$/]:matches([object.name=/^(describe|it|test|suite)$/], [object.object.name=/^(describe|it|test|suite)$/])',
          message: 'no focused, skipped or to-do tests: run the whole suite (use it.runIf / it.skipIf for a real condition)',
        },
      ],
    },
  },
);
