/**
 * One YAML document in plain style read by js-yaml (several times faster than the `yaml`
 * library, and a fraction of its start-up and memory), for the readers that fall back to the
 * `yaml` library for anything else: manifests (manifest_yaml_plain.ts) and kubeconfigs.
 *
 * @module
 */

import { CORE_SCHEMA, load } from "./deps/js_yaml.ts";

/**
 * The value of `text` when it is one document that needs none of the `yaml` library's checks:
 * no tags (`!`), anchors (`&`) or directives, no second document, no error; else `undefined`,
 * and the caller reads it with the `yaml` library, which names any problem and its line.
 */
export function loadPlainYaml(text: string): { value: unknown } | undefined {
  if (text.includes("!") || text.includes("&") || text.startsWith("%") || text.includes("\n%")) {
    return undefined;
  }
  try {
    return { value: load(text, { schema: CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}
