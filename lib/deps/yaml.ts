/**
 * The YAML library, pinned here once. Imported with a full `npm:` specifier
 * so that `deno run <url>/main.ts` resolves it without our deno.json (which
 * Deno applies to local files only); Bun maps the same specifier through
 * tsconfig.json `paths` to node_modules.
 *
 * @module
 */

export {
  type Document,
  isAlias,
  isMap,
  isNode,
  isSeq,
  LineCounter,
  parse,
  parseAllDocuments,
  visit,
} from "npm:yaml@2.9.1";
