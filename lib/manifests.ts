/**
 * Reading Kubernetes objects from manifests: YAML (multi-document) and JSON (an object, a
 * `List`, an array, JSON lines) files, directories of them and stdin, with `List` kinds
 * expanded. Files and stdin are read as streams and objects handed on one at a time, so memory
 * holds one document, not the input. Every problem is an {@linkcode InputError} naming the file
 * and line.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import {
  type InputOptions,
  openInputs,
  readAll,
  readStdin,
  type StdinSource,
} from "./manifest_input.ts";
import { jsonManifests, more, textCursor } from "./manifest_json.ts";
import type { ManifestObject } from "./manifest_objects.ts";
import {
  parseYamlDocuments,
  type YamlDocument,
  yamlManifests,
  yamlObjects,
} from "./manifest_yaml.ts";

export type { ManifestObject, StdinSource, YamlDocument };
export { parseYamlDocuments, readStdin };

/** Options of {@linkcode loadManifests} and {@linkcode streamManifests}. */
export interface LoadOptions {
  /** Descend into subdirectories of a directory argument. */
  recursive?: boolean;
  /**
   * Reads stdin for the path `-` (all of it, or as byte chunks); defaults to the process's
   * standard input, read as a stream.
   */
  readStdin?: StdinSource;
  /**
   * The largest single object or YAML document accepted, in characters (default 64 MiB): an
   * input without document boundaries (`/dev/urandom`, a runaway pipe) fails here instead of
   * growing without bound.
   */
  maxDocumentSize?: number;
  /** Stops reading (the reason is thrown). */
  signal?: AbortSignal;
}

/** The default of {@linkcode LoadOptions.maxDocumentSize}. */
export const DEFAULT_MAX_DOCUMENT_SIZE = 64 * 1024 * 1024;

/**
 * Loads every object from the given files, directories (their `.yaml`,
 * `.yml` and `.json` files, sorted by name) and `-` (stdin), in order.
 *
 * @throws {InputError} for a missing file, an unreadable directory, malformed
 *   YAML or JSON, or a document that is not an object with `apiVersion` and `kind`.
 *
 * @example
 * ```ts ignore
 * import { loadManifests } from "@kstatus/kstatus";
 * const objects = await loadManifests(["app.yaml"]);
 * ```
 */
export async function loadManifests(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for await (const obj of streamManifests(paths, options)) out.push(obj);
  return out;
}

/**
 * The objects of the given files, directories and `-` (stdin), one at a time as they are read:
 * JSON through a fast path (an object, a `List` read item by item, an array, JSON lines), YAML
 * document by document. Between objects it lets timers and signals run, and stops when
 * `options.signal` is aborted.
 *
 * @throws {InputError} as {@linkcode loadManifests}, when the problem is reached; also for
 *   invalid UTF-8, a NUL byte, a tag that is not plain data, or a document over the size limit.
 *
 * @example
 * ```ts ignore
 * import { streamManifests } from "@kstatus/kstatus";
 * for await (const { object, file, line } of streamManifests(["big.json"])) {
 *   console.log(`${file}:${line}`, object.kind);
 * }
 * ```
 */
export async function* streamManifests(
  paths: readonly string[],
  options: LoadOptions = {},
): AsyncGenerator<ManifestObject> {
  const maxSize = options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE;
  let paused = performance.now();
  // Parsing is synchronous work: let timers and signal handlers run every few milliseconds.
  const pace = async () => {
    options.signal?.throwIfAborted();
    if (performance.now() - paused < 20) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    options.signal?.throwIfAborted();
    paused = performance.now();
  };
  const inputOptions: InputOptions = { ...options };
  for await (const input of openInputs(paths, inputOptions)) {
    const cursor = textCursor(input.chunks, input.file, maxSize);
    if (await startsLikeJson(cursor)) {
      const json = jsonManifests(cursor);
      let next = await json.next();
      for (; !next.done; next = await json.next()) {
        yield next.value;
        await pace();
      }
      if (next.value === undefined) continue;
      if (next.value === "yaml") {
        // Not JSON after all (YAML flow style, or a mistake for the YAML parser to name).
        cursor.pos = 0;
        cursor.mark = 0;
        cursor.line = 1;
      }
    }
    for await (const batch of yamlManifests(cursor)) {
      for (const obj of batch) {
        yield obj;
        await pace();
      }
      await pace();
    }
  }
}

/** Whether the first character that is not whitespace or a byte order mark opens JSON. */
async function startsLikeJson(cursor: Parameters<typeof more>[0]): Promise<boolean> {
  while (true) {
    const match = /[^\s\uFEFF]/.exec(cursor.buf);
    if (match) return match[0] === "{" || match[0] === "[";
    if (!await more(cursor)) return false;
  }
}

/**
 * Reads the given files, directories (their `.yaml`, `.yml` and `.json` files, sorted by name)
 * and `-` (stdin, at most once), in order; `flag` prefixes the stdin error (`--rules `).
 *
 * @throws {InputError} for a missing file, an unreadable directory, or `-` given twice.
 */
export async function readInputs(
  paths: readonly string[],
  options: InputOptions = {},
): Promise<Array<{ text: string; file: string }>> {
  const out: Array<{ text: string; file: string }> = [];
  for await (const input of openInputs(paths, options)) {
    out.push({ text: await readAll(input), file: input.file });
  }
  return out;
}

/**
 * Parses the text of one manifest file held in memory (YAML with `---` separated documents, or
 * JSON, read by the YAML parser) into objects; `List` kinds are expanded into their items (items
 * of a typed list such as `DeploymentList` that have neither `apiVersion` nor `kind` take them
 * from the list, as kubectl does). Empty documents are allowed and yield nothing. Files and
 * stdin are better read with {@linkcode streamManifests}, which also takes JSON arrays and JSON
 * lines.
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
  if (text.includes("\0")) {
    throw new InputError("NUL byte: manifests must be text", {
      file,
      line: text.slice(0, text.indexOf("\0")).split("\n").length,
    });
  }
  return yamlObjects(text, file);
}
