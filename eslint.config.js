import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist.*.tmp/', '.cache/', '.data/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      // process.env is read in src/config.ts only, so configuration is validated in one place.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `const { id, ...rest } = entry` drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/config.ts', 'src/cli/main.ts', 'src/main.ts', 'test/**', 'bench/**', 'dev/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
