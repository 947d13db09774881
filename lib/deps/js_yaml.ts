/**
 * js-yaml, pinned here once: the fast YAML reader for manifest documents in plain block style
 * (the `yaml` library reads the rest and names every problem). Imported with a full `npm:`
 * specifier, as lib/deps/yaml.ts explains; Bun maps it through bun.tsconfig.json.
 *
 * @module
 */

export { CORE_SCHEMA, load } from "npm:js-yaml@4.1.0";
