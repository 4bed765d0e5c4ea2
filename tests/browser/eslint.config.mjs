// eslint.config.mjs - the JavaScript check script/test runs over web/ and tests/browser/, as
// clang-format checks the C: eslint's recommended rules (no-undef and no-unused-vars among
// them), with the globals of where each file runs: the browser for the pages, a service
// worker for web/inspect/sw.js, Node.js and the page for the browser tests.
//   tests/browser/node_modules/.bin/eslint --config tests/browser/eslint.config.mjs web tests/browser
// from the top of the repository (script/test runs it so).
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    // Patterns below are relative to the top of the repository, not to this file's folder.
    basePath: '../..',
    ignores: ['**/node_modules/', 'build*/', 'tests/browser/out/'],
  },
  {
    files: ['web/**/*.{js,mjs}', 'tests/browser/**/*.mjs'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: { ...js.configs.recommended.rules, 'no-unused-vars': 'error', 'no-undef': 'error' },
  },
  {
    // Pages load ES modules, named .mjs; a .js page script is checked as one too.
    files: ['web/**/*.{js,mjs}'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    files: ['web/inspect/sw.js'],
    languageOptions: { sourceType: 'script', globals: globals.serviceworker },
  },
  {
    // The functions a test hands to page.evaluate() run in the page.
    files: ['tests/browser/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
];
