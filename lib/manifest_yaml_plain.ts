/**
 * The plain-style YAML reader: one document read by js-yaml (several times faster than the
 * `yaml` library, and a fraction of its start-up), when nothing in it needs the `yaml`
 * library's checks. Kept apart so that reading such manifests never loads the `yaml` library.
 *
 * @module
 */

import { loadPlainYaml } from "./plain_yaml.ts";
import {
  checkObject,
  isListKind,
  type ItemLines,
  type ManifestObject,
} from "./manifest_objects.ts";

/**
 * The objects of one YAML text read by the plain reader, or `undefined` when the text needs the
 * `yaml` library (manifest_yaml.ts), which reads it or names its problem.
 *
 * @throws {InputError} for a document that is not a Kubernetes object, naming `file` and line.
 */
export function plainYamlObjects(
  text: string,
  file: string,
  lineOffset = 0,
): ManifestObject[] | undefined {
  return plainYamlValues(text, lineOffset)?.flatMap((d) =>
    checkObject(d.value, d.line, file, d.itemLines)
  );
}

/** A non-empty document as plain data, the line it starts on and the lines of its items. */
export interface YamlValue {
  /** The document as plain data. */
  value: unknown;
  /** 1-based line where its content starts. */
  line: number;
  /** The lines of its `items`, when known. */
  itemLines?: ItemLines;
}

/**
 * The non-empty documents of one YAML text read by the plain reader, before they are checked as
 * objects; `undefined` when the text needs the `yaml` library.
 */
export function plainYamlValues(text: string, lineOffset = 0): YamlValue[] | undefined {
  const fast = fastDocument(text);
  if (!fast) return undefined;
  if (fast.value === null || fast.value === undefined) return [];
  return [{
    value: fast.value,
    line: fast.line + lineOffset,
    itemLines: fast.itemLines(lineOffset),
  }];
}

/**
 * One document in plain style read by js-yaml (several times faster than the `yaml` library),
 * when nothing in it needs the `yaml` library's checks: no tags (`!`), anchors (`&`) or
 * directives, no second document, no error. Anything else, including every mistake, is left to
 * the `yaml` library, which names the problem and its line.
 */
function fastDocument(
  text: string,
):
  | { value: unknown; line: number; itemLines: (offset: number) => ItemLines | undefined }
  | undefined {
  const plain = loadPlainYaml(text);
  if (!plain) return undefined;
  const value = plain.value;
  const line = contentLine(text);
  const items = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length === 0) {
    return {
      value,
      line,
      itemLines: () => undefined,
    };
  }
  // Lists inside a list need the lines of their own items: the `yaml` library has them.
  if (items.some((item) => isListKind((item as { kind?: unknown } | null)?.kind))) return undefined;
  // A List: each item's line is a "- " line at the indentation of the top-level "items:" key.
  const starts = listItemLines(text);
  if (starts.length !== items.length) return undefined;
  return { value, line, itemLines: (offset) => (i) => ({ line: starts[i] + offset }) };
}

/** Lines (1-based) of the entries of the top-level `items:` sequence in block style. */
function listItemLines(text: string): number[] {
  const lines = text.split("\n");
  const out: number[] = [];
  let i = lines.findIndex((l) => /^items:[ \t]*(#.*)?\r?$/.test(l));
  if (i < 0) return out;
  let indent = -1;
  for (i++; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(#.*)?$/.test(l)) continue;
    const at = l.length - l.trimStart().length;
    if (indent < 0) indent = at;
    if (at < indent || (at === indent && !/^-(\s|$)/.test(l.slice(at)))) break;
    if (at === indent) out.push(i + 1);
  }
  return out;
}

/** The line (1-based) of the first line that is not blank, a comment or a bare `---`. */
function contentLine(text: string): number {
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const l = text.slice(start, end);
    if (!/^\s*(#.*)?$/.test(l) && !/^---\s*(#.*)?$/.test(l)) return line;
    start = end + 1;
  }
  return 1;
}
