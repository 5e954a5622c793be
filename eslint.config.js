// Type-aware lint: no floating promises, no `any`, React/Ink only inside src/ui, files of at most
// 400 lines, no import cycles, and the layers of docs/architecture.md (CONTRIBUTING.md explains them).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/no-import-cycle.js';

/** The runtime speaks MCP through @modelcontextprotocol/client 2.x (src/mcp/types.ts re-exports its types). */
const SDK_V1_BAN = {
  group: ['@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*'],
  message: 'Use @modelcontextprotocol/client (types via src/mcp/types.ts); the v1 SDK is for test fixtures only.',
};
const UI_BAN = {
  group: ['react', 'react/*', 'ink', 'ink-*', '**/ui/*', '**/ui'],
  message: 'Only src/ui may import React or Ink (DESIGN.md: the core is UI-free).',
};
/** Layers: src/cli.ts, src/cli/ and src/commands sit on top; nothing below them may reach up into them. */
const COMMANDS_BAN = {
  group: ['**/commands/*', '**/commands', '**/cli/*', '**/cli', '**/cli.js', '**/main.js'],
  message:
    'Only src/main.ts, src/cli.ts, src/cli/ and src/commands may import src/commands or src/cli: move what is shared down into the core (or src/ui for the chat) and import it from there.',
};

/** Everything in src/ that is neither the chat UI nor the command layer. */
const CORE = ['src/**/*.{ts,tsx}'];
const NOT_CORE = ['src/ui/**', 'src/commands/**', 'src/cli/**', 'src/cli.ts', 'src/main.ts'];

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
    // Source files stay small enough to read whole; comments and blank lines count.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { local },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'local/no-import-cycle': 'error',
    },
  },
  {
    // The core (agent, mcp, config, model, policy, auth, files, output, servers, hooks, telemetry and
    // the top-level helpers) never imports the chat UI or the command layer.
    files: CORE,
    ignores: NOT_CORE,
    rules: { 'no-restricted-imports': ['error', { patterns: [UI_BAN, SDK_V1_BAN, COMMANDS_BAN] }] },
  },
  {
    // The chat UI may use React and Ink, but never reaches up into the command layer.
    files: ['src/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SDK_V1_BAN, COMMANDS_BAN] }] },
  },
  {
    // The chat command is the one command that starts the UI.
    files: ['src/commands/chat.ts'],
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
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
  },
  {
    // bin/ is CommonJS (bin/package.json): starting mcpsh needs no ES module loader (docs/performance.md).
    files: ['bin/**'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['eslint-rules/**'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
