// Type-aware lint: no floating promises, no `any`, and React/Ink only inside src/ui.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The runtime speaks MCP through @modelcontextprotocol/client 2.x (src/mcp/types.ts re-exports its types). */
const SDK_V1_BAN = { group: ['@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*'], message: 'Use @modelcontextprotocol/client (types via src/mcp/types.ts); the v1 SDK is for test fixtures only.' };
const UI_BAN = { group: ['react', 'react/*', 'ink', 'ink-*', '**/ui/*', '**/ui'], message: 'Only src/ui may import React or Ink (DESIGN.md: the core is UI-free).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'schema/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [UI_BAN, SDK_V1_BAN],
        },
      ],
    },
  },
  {
    files: ['src/ui/**', 'src/commands/chat.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SDK_V1_BAN] }] },
  },
  {
    // Tests and fixtures may keep the v1 SDK (fixture servers, reference clients).
    files: ['test/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [UI_BAN] }] },
  },
  {
    files: ['test/**/ui/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['test/fixtures/**', 'bench/**', 'scripts/**', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', performance: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
);
