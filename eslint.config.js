import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layoutPlugin } from './scripts/eslint-layout.js';

/**
 * The layout's boundaries (ARCHITECTURE.md), each a rule of its own so a report names the
 * boundary crossed. Paths are repository paths after resolving the relative import.
 */
const layout = layoutPlugin(import.meta.dirname, {
  'client-not-server': {
    description: 'the client imports nothing from server/',
    paths: [/^server\//],
    message:
      'the client runs in the browser and reaches the server only over HTTP. Take types and enums from shared/contract/ and call client/api/; ' +
      'importing server/ code would pull Node, the database and server internals into the bundle and make a second copy of the contract.',
  },
  'runtime-not-leaves': {
    description: 'code that runs the product depends on neither migrations nor seeds',
    paths: [/^server\/db\/migrations\//, /^seeds\//],
    fileUrls: true,
    message:
      'migrations are frozen history and seeds/ is sample data: nothing that runs the product may depend on them. ' +
      'Put a value both need in shared/ (or in the module that owns it) and keep the migration\'s own literal; ' +
      'seeding reaches the app as the seed step its launcher passes to buildApp (server/main.ts, seeds/startup.ts).',
  },
  'fastify-at-the-edge': {
    description: 'Fastify is used only by routes, the kernel, the app and the auth plugin',
    packages: [/^fastify$/, /^@fastify\//],
    message:
      'Fastify belongs to the HTTP edge (module routes, server/kernel, server/app.ts, server/main.ts, the auth plugin). ' +
      'A service takes plain values and a Caller (server/kernel/caller.ts), so a script, a test or another service can call it without a request.',
  },
  'shared-is-pure': {
    description: 'shared/ imports neither client/ nor server/, nor frameworks, databases, the map or I/O',
    paths: [/^client\//, /^server\//],
    packages: [/^react(-.*)?$/, /^react\//, /^fastify$/, /^@fastify\//, /^kysely/, /^pg$/, /^@electric-sql\//, /^maplibre-gl$/, /^node:/, /^fs$/, /^path$/],
    message: 'shared/ is pure domain code, imported by both the client and the server: no client/ or server/ code, framework, database, map or I/O.',
  },
});

/** Runtime code: what runs the product (the browser app, the server, the domain they share). */
const RUNTIME = ['client/**/*.{ts,tsx}', 'server/**/*.ts', 'shared/**/*.ts'];

/**
 * Where Fastify may be imported (types included):
 * - server/app.ts, server/main.ts: the app as a plugin tree, and the launcher;
 * - server/kernel/**: the HTTP kernel (request → Caller, validator, response guards, the
 *   audit's request metadata) besides the database plumbing;
 * - a module's routes: routes.ts, <name>-routes.ts, or a routes/ folder when a module's URLs
 *   are split across files;
 * - the auth plugin (session → caller, declared access per route, CSRF origin check): the
 *   hooks every route runs through.
 */
const FASTIFY_ALLOWED = [
  'server/app.ts',
  'server/main.ts',
  'server/kernel/**',
  'server/modules/*/routes.ts',
  'server/modules/*/*-routes.ts',
  'server/modules/*/routes/**',
  'server/modules/auth/plugin.ts',
  'server/modules/auth/access.ts',
  'server/modules/auth/origin.ts',
];

/** The one area model is the EPSG:4547 plane (shared/geometry.ts); turf's area is the sphere's. */
const SPHERICAL_AREA = 'turf measures area on a sphere, which is not how parcels are measured: use the EPSG:4547 plane area of shared/geometry (geometryAreaM2), the one area model for plots and parks.';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { layout },
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

  // --- The layout's boundaries -------------------------------------------------------------------
  {
    files: ['client/**/*.{ts,tsx}'],
    rules: { 'layout/client-not-server': 'error' },
  },
  {
    // Migrations and seeds are leaves. Only what applies migrations (the migrator and its
    // command) and the launcher, which hands the seed step to buildApp, may import them;
    // scripts/, tests/ and bench/ are not runtime code.
    files: RUNTIME,
    ignores: ['server/db/migrations/**', 'server/db/migrate.ts', 'server/db/cli-migrate.ts', 'server/main.ts'],
    rules: { 'layout/runtime-not-leaves': 'error' },
  },
  {
    files: RUNTIME,
    ignores: FASTIFY_ALLOWED,
    rules: { 'layout/fastify-at-the-edge': 'error' },
  },
  {
    files: ['server/modules/**/*.ts'],
    rules: { 'layout/no-foreign-repository': 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'layout/shared-is-pure': 'error' },
  },
  {
    // One area model: no spherical area in product code (tests may compare against it).
    files: ['client/**/*.{ts,tsx}', 'server/**/*.ts', 'shared/**/*.ts', 'seeds/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: '@turf/turf', importNames: ['area'], message: SPHERICAL_AREA },
          { name: '@turf/area', message: SPHERICAL_AREA },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.name='turf'][property.name='area']", message: SPHERICAL_AREA },
      ],
    },
  },

  // --- Size ------------------------------------------------------------------------------------------
  {
    // A file past 600 lines does several jobs: split it by job (e.g. service.ts + read-model.ts).
    // Translation dictionaries are lists, not code. Stylesheets (≤ 800 lines) are checked by
    // scripts/check-stylesheets.ts, run by `npm run lint` after this.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['client/i18n/**', 'client/**/i18n/**', 'client/**/i18n.ts', 'client/**/i18n.*.ts'],
    rules: { 'max-lines': ['error', { max: 600 }] },
  },
);
