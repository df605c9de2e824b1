import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'packages/*/lib/**', 'coverage/**', '.bench-work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
      },
    },
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
    // Tests may use GitHub's own parsers to check workflows and action metadata.
    files: ['packages/toolkit/**', 'packages/github/**', 'packages/kind/**', 'test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
