// Lint of the hand-written TypeScript: typescript-eslint's strict rules with type information.
// Generated files (dsl/modules/*.generated.ts, dsl/postgres/*.generated.ts) are left out: their
// generators are linted instead.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'tests/fixtures/',
      'out/',
      '.build/',
      '.venv/',
      'bench-results/',
      '**/*.generated.ts',
      '**/*.mjs',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The DSL's idiom: a typed reference in a template literal renders as {{ name }}.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowBoolean: true,
          allow: [{ from: 'file', name: ['Expr'], path: 'dsl/jinja.ts' }],
        },
      ],
      // With noUncheckedIndexedAccess, `m[1]!` after a successful match says what the regex guarantees.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The compiler checks sources that may bypass the types (an object built elsewhere, plain
    // JavaScript): its guards against values the types rule out are deliberate.
    files: ['compiler/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
  {
    // Tests read emitted YAML and JSON whose shape is what they assert.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
