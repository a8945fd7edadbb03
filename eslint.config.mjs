// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'examples/**', 'test-results/**', 'templates/**', '.bench/**', '**/*.vsix'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The engine stays editor-free: everything VS Code-specific lives in src/extension/.
    files: ['src/core/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core and the CLI must not depend on VS Code; put editor code in src/extension/.' }],
          patterns: [{ group: ['**/extension/**', '**/extension'], message: 'src/core must not import editor adapters.' }],
        },
      ],
    },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Unit tests run in plain Node; use test/integration for VS Code.' }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'readonly', performance: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly',
        URLSearchParams: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly',
      },
    },
  },
);
