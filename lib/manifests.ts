/**
 * Reading Kubernetes objects from manifests: YAML (multi-document) and JSON
 * files, directories of them and stdin, with `List` kinds expanded. Every
 * problem is an {@linkcode InputError} naming the file and line.
 *
 * @module
 */

import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
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
import { isObject } from "./fields.ts";
import type { KubeObject } from "./types.ts";

/** An object read from a manifest, with where it came from. */
export interface ManifestObject {
  /** The object. */
  object: KubeObject;
  /** File it was read from, `-` for stdin. */
  file: string;
  /** 1-based line where its document (or list item) starts. */
  line: number;
}

/** Options of {@linkcode loadManifests}. */
export interface LoadOptions {
  /** Descend into subdirectories of a directory argument. */
  recursive?: boolean;
  /** Reads stdin for the path `-`; defaults to the process's standard input. */
  readStdin?: () => Promise<string>;
}

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

/**
 * Loads every object from the given files, directories (their `.yaml`,
 * `.yml` and `.json` files, sorted by name) and `-` (stdin), in order.
 *
 * @throws {InputError} for a missing file, an unreadable directory, malformed
 *   YAML or JSON, or a document that is not an object with `apiVersion` and `kind`.
 *
 * @example
 * ```ts
 * import { parseManifests } from "@kstatus/kstatus";
 * const objs = parseManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "a.yaml");
 * console.log(objs[0].object.kind, objs[0].line); // ConfigMap 1
 * ```
 */
export async function loadManifests(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const { text, file } of await readInputs(paths, options)) {
    out.push(...parseManifests(text, file));
  }
  return out;
}

/** The text of one input, and its name (`-` for stdin). */
export interface InputText {
  /** The text read. */
  text: string;
  /** The file it came from, `-` for stdin. */
  file: string;
}

/**
 * Reads the given files, directories (their `.yaml`, `.yml` and `.json` files, sorted by name)
 * and `-` (stdin, at most once), in order; `flag` prefixes the stdin error (`--rules `).
 *
 * @throws {InputError} for a missing file, an unreadable directory, or `-` given twice.
 */
export async function readInputs(
  paths: readonly string[],
  options: LoadOptions & { flag?: string } = {},
): Promise<InputText[]> {
  // A second read of stdin would find it drained and quietly yield nothing.
  if (paths.filter((p) => p === "-").length > 1) {
    throw new InputError(
      `${options.flag ?? ""}- (stdin) is given more than once; it can be read only once`,
    );
  }
  const out: InputText[] = [];
  for (const path of paths) {
    if (path === "-") {
      out.push({ text: await (options.readStdin ?? readStdin)(), file: "-" });
      continue;
    }
    for (const file of await expandPath(path, options.recursive ?? false)) {
      try {
        out.push({ text: await readFile(file, "utf8"), file });
      } catch (e) {
        throw new InputError(`cannot read file: ${describeFsError(e)}`, { file, cause: e });
      }
    }
  }
  return out;
}

async function expandPath(path: string, recursive: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new InputError(`cannot read: ${describeFsError(e)}`, { file: path, cause: e });
  }
  if (!info.isDirectory()) return [path];
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`cannot read directory: ${describeFsError(e)}`, { file: path, cause: e });
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (recursive) files.push(...await expandPath(full, true));
    } else if (MANIFEST_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      files.push(full);
    }
  }
  return files;
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "ENOTDIR") return "not a directory";
  return e instanceof Error ? e.message : String(e);
}

/**
 * Parses the text of one manifest file (YAML with `---` separated documents,
 * or JSON) into objects; `List` kinds are expanded into their items (items of a
 * typed list such as `DeploymentList` that have neither `apiVersion` nor `kind`
 * take them from the list, as kubectl does). Empty documents are allowed and
 * yield nothing.
 *
 * @throws {InputError} naming `file` and the line of the problem.
 *
 * @example
 * ```ts
 * import { parseManifests } from "@kstatus/kstatus";
 * const objects = parseManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "a.yaml");
 * console.log(objects[0].line); // 1
 * ```
 */
export function parseManifests(text: string, file: string): ManifestObject[] {
  const { documents, lineAt } = parseYamlDocuments(text, file);
  return documents.flatMap((d) => checkObject(d.value, d.contents, d.line, { file, lineAt }));
}

/** One non-empty YAML document: its value, its root node and the line it starts on. */
export interface YamlDocument {
  /** The document as plain data. */
  value: unknown;
  /** Its root node, for the lines of what is inside. */
  contents: unknown;
  /** 1-based line where its content starts. */
  line: number;
}

/**
 * Parses a YAML (or JSON) stream into its non-empty documents, with a way to turn a node's
 * offset into a line.
 *
 * @throws {InputError} for malformed YAML, naming `file` and the line.
 */
export function parseYamlDocuments(
  text: string,
  file: string,
): { documents: YamlDocument[]; lineAt: (offset: number) => number } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  // An empty stream: the parser returns a single empty document placeholder.
  if (!Array.isArray(docs)) return { documents: [], lineAt };
  const documents: YamlDocument[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new InputError(`malformed YAML: ${message}`, { file, line: lineAt(error.pos[0]) });
    }
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

/** Where a document came from: its file and how to turn an offset into a line. */
interface Source {
  file: string;
  lineAt: (offset: number) => number;
}

/** The item nodes of a mapping's `items` sequence, so each list item gets its own line. */
function listItemNodes(node: unknown): unknown[] | undefined {
  if (!isMap(node)) return undefined;
  const items = node.get("items", true);
  return isSeq(items) ? items.items : undefined;
}

function checkObject(value: unknown, node: unknown, line: number, src: Source): ManifestObject[] {
  const { file } = src;
  if (!isObject(value)) {
    const what = Array.isArray(value) ? "a list" : `a ${typeof value}`;
    throw new InputError(`expected a Kubernetes object (a mapping), got ${what}`, { file, line });
  }
  for (const field of ["apiVersion", "kind"] as const) {
    if (!isNonEmptyString(value[field])) {
      throw new InputError(`object has no ${field}`, { file, line });
    }
  }
  const kind = value.kind as string;
  if (kind.endsWith("List") && "items" in value) {
    if (!Array.isArray(value.items)) {
      throw new InputError(`${kind}: items is not a list`, { file, line });
    }
    const itemNodes = listItemNodes(node);
    const itemKind = kind.slice(0, -"List".length);
    return value.items.flatMap((item, i) => {
      const itemNode = itemNodes?.[i];
      const range = isNode(itemNode) ? itemNode.range : undefined;
      const filled = itemKind ? withListIdentity(item, value.apiVersion as string, itemKind) : item;
      return checkObject(filled, itemNode, range ? src.lineAt(range[0]) : line, src);
    });
  }
  return [{ object: value, file, line }];
}

/**
 * The API server leaves `apiVersion` and `kind` out of a typed list's items (a `DeploymentList`
 * holds Deployments); like kubectl, take them from the list when an item has neither.
 */
function withListIdentity(item: unknown, apiVersion: string, kind: string): unknown {
  if (!isObject(item) || isNonEmptyString(item.apiVersion) || isNonEmptyString(item.kind)) {
    return item;
  }
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = item;
  return { apiVersion, kind, ...rest };
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}

/** Reads all of standard input as text, on Deno, Bun and Node. */
export async function readStdin(): Promise<string> {
  const { default: process } = await import("node:process");
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return new TextDecoder().decode(concat(chunks));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
