/**
 * The YAML side of the manifest reader, by the `yaml` library: every document the plain reader
 * (manifest_yaml_plain.ts) leaves, with lines kept for errors and the tags that do not mean
 * plain data (`!!binary`, `!!omap`, `!!set`, `!!timestamp`, unknown ones) refused. The stream
 * reader (manifest_stream.ts) loads it only for such a document.
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
import { InputError } from "./errors.ts";
import { checkObject, type ItemLines, type ManifestObject } from "./manifest_objects.ts";
import { plainYamlObjects, plainYamlValues, type YamlValue } from "./manifest_yaml_plain.ts";

export type { YamlValue };

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
  return plainYamlObjects(text, file, lineOffset) ?? fullYamlObjects(text, file, lineOffset);
}

/**
 * The objects of one YAML text read by the `yaml` library, which takes every YAML and names
 * every problem (the stream reader loads this module only for texts the plain reader leaves).
 */
export function fullYamlObjects(text: string, file: string, lineOffset = 0): ManifestObject[] {
  return fullYamlValues(text, file, lineOffset).flatMap((d) =>
    checkObject(d.value, d.line, file, d.itemLines)
  );
}

/**
 * The non-empty documents of a YAML text as plain data, before they are checked as objects:
 * by the plain reader when it can, else by the `yaml` library.
 *
 * @throws {InputError} for malformed YAML or a tag that is not plain data.
 */
export function yamlValues(text: string, file: string, lineOffset = 0): YamlValue[] {
  return plainYamlValues(text, lineOffset) ?? fullYamlValues(text, file, lineOffset);
}

function fullYamlValues(text: string, file: string, lineOffset: number): YamlValue[] {
  const { documents, lineAt } = parseYamlDocuments(text, file, lineOffset);
  return documents.map((d) => ({
    value: d.value,
    line: d.line,
    itemLines: itemLinesOf(d.contents, lineAt),
  }));
}
