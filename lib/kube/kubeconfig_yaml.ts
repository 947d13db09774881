/**
 * Reading a kubeconfig's YAML. Kubeconfigs as kubectl, kind and cloud CLIs write them (keys,
 * strings, booleans, one per line) are read by js-yaml, which the manifest reader loads anyway;
 * anything else by the `yaml` library, loaded only then. The `yaml` library alone added some
 * 2 MB to the peak memory of a `wait` in the Bun binary (scripts/bench_memory.ts).
 *
 * @module
 */

import { loadPlainYaml } from "../plain_yaml.ts";

/**
 * A line js-yaml and the `yaml` library read alike: blank, a comment, `key:`, `key: value`,
 * `- value`, `- key: value` (one `- ` per line), with a value that is plain text on one line, a quoted string
 * closed on the same line, `{}` or `[]`, and an optional comment after a space.
 */
const PLAIN =
  // not starting with an indicator, a digit, a sign or a dot (numbers are read differently),
  // never ": " or " #" inside; "-" or ":" may start it when neither space, digit nor dot follows
  "(?:[^\\s'\"#&*!|>%@`{}\\[\\],?:\\d+.-]|[-:](?=[^\\s\\d.]))(?:[^\\s#:]|:(?! )| +(?![ #]))*";
const QUOTED = "'(?:[^']|'')*'|\"(?:[^\"\\\\]|\\\\.)*\"";
const SIMPLE_LINE = new RegExp(
  `^ *(?:(?:- +)?[A-Za-z_][\\w./-]*:(?: +(?:${PLAIN}|${QUOTED}|\\{\\}|\\[\\]))?|- +(?:${PLAIN}|${QUOTED}))?` +
    " *(?:(?<![^ ])#.*)?$",
);

/** Keys that the two libraries turn into different property names. */
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;

/** True when `v` holds only strings, booleans, nulls, lists and mappings with ordinary keys. */
function plainData(v: unknown): boolean {
  if (typeof v === "number") return false; // 1_000, 0b1, -0: js-yaml reads them otherwise
  if (Array.isArray(v)) return v.every(plainData);
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).every(([k, x]) => !SPECIAL_KEY.test(k) && plainData(x));
  }
  return true;
}

/**
 * The value of a kubeconfig's text when js-yaml reads it exactly as the `yaml` library would,
 * else `undefined` (read it with the `yaml` library, which also names any mistake).
 */
export function plainKubeconfigYaml(text: string): { value: unknown } | undefined {
  if (text.includes("\r") || text.includes("\t")) return undefined;
  const body = text.startsWith("---\n") ? text.slice(4) : text;
  for (const line of body.split("\n")) if (!SIMPLE_LINE.test(line)) return undefined;
  const plain = loadPlainYaml(text);
  return plain && plainData(plain.value) ? { value: plain.value ?? null } : undefined;
}
