/**
 * The lint rules that keep the layout (eslint.config.js declares which folder may import what;
 * ARCHITECTURE.md draws the picture). Each boundary is a rule of its own, so `npx eslint .`
 * names the boundary that was crossed, and one boundary's settings never replace another's.
 *
 * A relative import is resolved to its path in the repository before it is compared, so
 * '../../db/migrations/004_allocations.ts' and '../server/db/migrations/index.ts' are the same
 * folder to the rule; a package import is compared by its name.
 */
import path from 'node:path';

/** The module specifier of an import-like node, when it is a string literal. */
function specifierOf(node) {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration':
    case 'ImportExpression':
      return node.source && node.source.type === 'Literal' && typeof node.source.value === 'string' ? node.source : null;
    case 'TSImportType': // type X = import('fastify').FastifyRequest
      return node.argument?.type === 'TSLiteralType' && typeof node.argument.literal.value === 'string' ? node.argument.literal : null;
    case 'TSExternalModuleReference': // import x = require('…')
      return node.expression?.type === 'Literal' && typeof node.expression.value === 'string' ? node.expression : null;
    case 'TSModuleDeclaration': // declare module 'fastify' { … } (augmenting a package's types)
      return node.id?.type === 'Literal' && typeof node.id.value === 'string' ? node.id : null;
    default:
      return null;
  }
}

const IMPORT_NODES = ['ImportDeclaration', 'ExportAllDeclaration', 'ExportNamedDeclaration', 'ImportExpression', 'TSImportType', 'TSExternalModuleReference', 'TSModuleDeclaration'];

/** `new URL('../seeds/x.csv', import.meta.url)`: a file of the repository read at run time. */
function fileUrlOf(node) {
  const [first, second] = node.arguments;
  const isUrl = node.callee.type === 'Identifier' && node.callee.name === 'URL';
  const relativeToModule = second?.type === 'MemberExpression' && second.object.type === 'MetaProperty' && second.property.name === 'url';
  return isUrl && relativeToModule && first?.type === 'Literal' && typeof first.value === 'string' ? first : null;
}

/** Where `specifier`, imported from `filename`, lives in the repository ('server/app.ts'), or null for a package. */
function repositoryPath(root, filename, specifier) {
  if (!specifier.startsWith('.')) return null;
  return path.relative(root, path.resolve(path.dirname(filename), specifier)).split(path.sep).join('/');
}

/**
 * A rule refusing imports of repository paths matching `paths` or packages matching `packages`
 * (regular expressions). With `fileUrls`, also `new URL('…', import.meta.url)` into those paths.
 */
function boundary(root, { description, message, paths = [], packages = [], fileUrls = false }) {
  return {
    meta: { type: 'problem', docs: { description }, schema: [], messages: { crossed: `'{{specifier}}': ${message}` } },
    create(context) {
      const check = (literal) => {
        const target = repositoryPath(root, context.filename, literal.value);
        const crossed = target === null ? packages.some((p) => p.test(literal.value)) : paths.some((p) => p.test(target));
        if (crossed) context.report({ node: literal, messageId: 'crossed', data: { specifier: literal.value } });
      };
      const visitors = Object.fromEntries(IMPORT_NODES.map((type) => [type, (node) => {
        const literal = specifierOf(node);
        if (literal) check(literal);
      }]));
      if (fileUrls) {
        visitors.NewExpression = (node) => {
          const literal = fileUrlOf(node);
          if (literal) check(literal);
        };
      }
      return visitors;
    },
  };
}

/**
 * server/modules/<a>/** may import server/modules/<b>/repository*.ts only when a = b: another
 * module's tables are reached through its service, which owns their rules and transactions.
 */
function noForeignRepository(root) {
  const MODULE = /^server\/modules\/([^/]+)\//;
  const REPOSITORY = /^server\/modules\/([^/]+)\/repository[^/]*\.ts$/;
  return {
    meta: {
      type: 'problem',
      docs: { description: "a server module does not import another module's repository" },
      schema: [],
      messages: {
        foreign: "'{{specifier}}' is the {{owner}} module's repository: call a function of server/modules/{{owner}}/service.ts instead. A module's tables are read and written by its own service, which keeps their rules, locks and audit in one place.",
      },
    },
    create(context) {
      const own = MODULE.exec(path.relative(root, context.filename).split(path.sep).join('/'))?.[1];
      if (!own) return {};
      return Object.fromEntries(IMPORT_NODES.map((type) => [type, (node) => {
        const literal = specifierOf(node);
        const target = literal && repositoryPath(root, context.filename, literal.value);
        const owner = target && REPOSITORY.exec(target)?.[1];
        if (owner && owner !== own) context.report({ node: literal, messageId: 'foreign', data: { specifier: literal.value, owner } });
      }]));
    },
  };
}

/** The `layout` plugin: one rule per boundary in `boundaries`, plus `no-foreign-repository`. */
export function layoutPlugin(root, boundaries) {
  const rules = Object.fromEntries(Object.entries(boundaries).map(([name, spec]) => [name, boundary(root, spec)]));
  rules['no-foreign-repository'] = noForeignRepository(root);
  return { meta: { name: 'layout' }, rules };
}
