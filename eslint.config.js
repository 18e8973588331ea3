import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The domain layer is pure (STYLE.md §6): no framework, no I/O, no reach into client/server.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/client/**', '**/server/**', '../client/*', '../server/*'], message: 'shared/ is pure: it must not import from client/ or server/.' },
          { group: ['react', 'react-*', 'fastify', '@fastify/*', 'kysely', 'pg', '@electric-sql/*', 'maplibre-gl', 'node:*', 'fs', 'path'], message: 'shared/ is pure domain code: no framework, database, map or I/O imports.' },
        ],
      }],
    },
  },
);
