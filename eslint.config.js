import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'packages/*/lib/**', 'coverage/**', '.bench-work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Engines must stay runnable from the CLI: only the toolkit may touch the Actions runtime.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*'],
              message: 'Only packages/toolkit and packages/github may import @actions/*.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/toolkit/**', 'packages/github/**', 'packages/kind/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
