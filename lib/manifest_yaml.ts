/**
 * The YAML side of the manifest reader: a stream cut into documents at `---` lines, each parsed
 * on its own (so memory holds one document), with lines kept for errors and the tags that do
 * not mean plain data (`!!binary`, `!!omap`, `!!set`, `!!timestamp`, unknown ones) refused.
 *
 * @module
 */

import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
} from "./deps/yaml.ts";
import { CORE_SCHEMA, load } from "./deps/js_yaml.ts";
import { InputError } from "./errors.ts";
import { compact, lineAt, more, type TextCursor } from "./manifest_json.ts";
import { STREAM_LIST_AFTER, streamedListItems } from "./manifest_yaml_list.ts";
import {
  checkObject,
  isListKind,
  type ItemLines,
  type ManifestObject,
} from "./manifest_objects.ts";

/** One non-empty YAML document: its value, its root node and the line it starts on. */
export interface YamlDocument {
  /** The document as plain data. */
  value: unknown;
  /** Its root node, for the lines of what is inside. */
  contents: unknown;
  /** 1-based line where its content starts. */
  line: number;
}

/** Tags that mean what JSON means; any other would change or drop data silently. */
const PLAIN_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Parses a YAML (or JSON) stream into its non-empty documents, with a way to turn a node's
 * offset into a line; `lineOffset` is the number of lines before `text` in its file.
 *
 * @throws {InputError} for malformed YAML or a tag that is not plain data, naming `file` and
 *   the line.
 */
export function parseYamlDocuments(
  text: string,
  file: string,
  lineOffset = 0,
): { documents: YamlDocument[]; lineAt: (offset: number) => number } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + lineOffset;
  // An empty stream: the parser returns a single empty document placeholder.
  if (!Array.isArray(docs)) return { documents: [], lineAt };
  const documents: YamlDocument[] = [];
  const tagged = text.includes("!");
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new InputError(`malformed YAML: ${message}`, { file, line: lineAt(error.pos[0]) });
    }
    if (tagged) checkTags(doc, file, lineAt);
    const contentsRange = doc.contents?.range;
    const line = lineAt(contentsRange ? contentsRange[0] : doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      const at = unresolvedAliasOffset(doc) ?? contentsRange?.[0] ?? doc.range[0];
      throw new InputError(`malformed YAML: ${(e as Error).message}`, {
        file,
        line: lineAt(at),
        cause: e,
      });
    }
    if (value === null || value === undefined) continue; // an empty document
    documents.push({ value, contents: doc.contents, line });
  }
  return { documents, lineAt };
}

/** Refuses unknown tags and YAML 1.1 types (binary, ordered maps, sets, timestamps). */
function checkTags(doc: Document.Parsed, file: string, lineAt: (offset: number) => number) {
  const warning = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (warning) {
    throw new InputError(
      `unsupported YAML: ${warning.message.split("\n")[0]} (manifests hold plain data)`,
      { file, line: lineAt(warning.pos[0]) },
    );
  }
  visit(doc, {
    Node(_key, node) {
      const tag = node.tag;
      if (tag && tag !== "!" && !PLAIN_TAGS.has(tag)) {
        const short = tag.replace("tag:yaml.org,2002:", "!!");
        throw new InputError(
          `unsupported YAML: the tag ${short} is not plain data (a YAML 1.1 type or an ` +
            "application tag); Kubernetes reads only strings, numbers, booleans, null, " +
            "mappings and lists",
          { file, line: lineAt(node.range?.[0] ?? 0) },
        );
      }
    },
  });
}

/** Offset of the first alias with no anchor of its name before it, if any. */
function unresolvedAliasOffset(doc: Document.Parsed): number | undefined {
  const anchors = new Set<string>();
  let offset: number | undefined;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          offset = node.range?.[0];
          return visit.BREAK;
        }
      } else if (node.anchor) {
        anchors.add(node.anchor);
      }
    },
  });
  return offset;
}

/** The lines of the items of a mapping's `items` sequence, so each list item gets its own. */
export function itemLinesOf(node: unknown, lineAt: (offset: number) => number): ItemLines {
  const items = isMap(node) ? node.get("items", true) : undefined;
  const nodes = isSeq(items) ? items.items : [];
  return (i) => {
    const item = nodes[i];
    const range = isNode(item) ? item.range : undefined;
    return { line: range ? lineAt(range[0]) : undefined, items: itemLinesOf(item, lineAt) };
  };
}

/** The objects of one YAML text (a whole file, or one document of a stream). */
export function yamlObjects(text: string, file: string, lineOffset = 0): ManifestObject[] {
  return yamlValues(text, file, lineOffset).flatMap((d) =>
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
 * The non-empty documents of a YAML text as plain data, before they are checked as objects.
 *
 * @throws {InputError} for malformed YAML or a tag that is not plain data.
 */
export function yamlValues(text: string, file: string, lineOffset = 0): YamlValue[] {
  const fast = fastDocument(text);
  if (fast) {
    if (fast.value === null || fast.value === undefined) return [];
    return [{
      value: fast.value,
      line: fast.line + lineOffset,
      itemLines: fast.itemLines(lineOffset),
    }];
  }
  const { documents, lineAt } = parseYamlDocuments(text, file, lineOffset);
  return documents.map((d) => ({
    value: d.value,
    line: d.line,
    itemLines: itemLinesOf(d.contents, lineAt),
  }));
}

/**
 * The objects of a YAML stream, document by document: the text is cut before each `---` line
 * (a document start can never be content, YAML forbids it inside scalars), except after a
 * directive, which belongs to the document that follows. A document longer than
 * `streamListAfter` characters whose top level holds a block-style `items:` (a `List`, as
 * `kubectl get -o yaml` prints it) is read item by item (lib/manifest_yaml_list.ts).
 *
 * @throws {InputError} naming the file and line; for a document larger than the cursor's limit.
 */
export async function* yamlManifests(
  c: TextCursor,
  streamListAfter = STREAM_LIST_AFTER,
): AsyncGenerator<ManifestObject[]> {
  let scan = c.pos;
  let tried = -1; // the document already looked at as a List to stream
  while (true) {
    const idx = c.buf.indexOf("\n---", scan);
    if (idx < 0 || idx + 4 >= c.buf.length) {
      if (c.buf.length - c.pos > streamListAfter && tried !== c.pos) {
        tried = c.pos;
        if (yield* streamedListItems(c)) {
          scan = c.pos;
          continue;
        }
      }
      if (c.buf.length - c.pos > c.maxSize) {
        throw documentTooLarge(c, c.pos);
      }
      scan = Math.max(c.pos, c.buf.length - 4);
      if (await more(c)) continue;
      if (idx < 0 || idx + 4 > c.buf.length) break;
    }
    const after = c.buf.charCodeAt(idx + 4);
    scan = idx + 1;
    if (!(Number.isNaN(after) || after === 32 || after === 9 || after === 13 || after === 10)) {
      continue;
    }
    const doc = c.buf.slice(c.pos, idx + 1);
    if (doc.startsWith("%") || doc.includes("\n%")) continue; // directives: keep going
    yield yamlObjects(doc, c.file, lineAt(c, c.pos) - 1);
    c.pos = idx + 1;
    compact(c);
    scan = c.pos;
  }
  const rest = c.buf.slice(c.pos);
  const line = lineAt(c, c.pos);
  c.pos = c.buf.length;
  if (rest) yield yamlObjects(rest, c.file, line - 1);
}

/** The error for a document from `at` that grew past the cursor's limit. */
export function documentTooLarge(c: TextCursor, at: number): InputError {
  return new InputError(
    `a single YAML document is larger than ${c.maxSize} characters (the limit for one document)`,
    { file: c.file, line: lineAt(c, at) },
  );
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
  if (text.includes("!") || text.includes("&") || text.startsWith("%") || text.includes("\n%")) {
    return undefined;
  }
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
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
