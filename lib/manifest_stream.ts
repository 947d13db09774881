/**
 * Reading Kubernetes objects from manifests as a stream: files, directories and stdin read in
 * chunks, JSON through its fast path, YAML document by document. Plain-style YAML is read by
 * js-yaml; the `yaml` library loads only when a document needs it (tags, anchors, flow style
 * js-yaml refuses, a mistake to name), so `compute` of plain manifests starts without it.
 *
 * @module
 */

import { type InputOptions, openInputs, type StdinSource } from "./manifest_input.ts";
import {
  compact,
  documentTooLarge,
  jsonManifests,
  lineAt,
  more,
  type TextCursor,
  textCursor,
} from "./manifest_json.ts";
import type { ManifestObject } from "./manifest_objects.ts";
import { plainYamlObjects } from "./manifest_yaml_plain.ts";

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

/** Documents longer than this (in characters) are looked at as a `List` to stream. */
export const STREAM_LIST_AFTER = 1 << 20;

/**
 * The objects of a YAML stream, document by document: the text is cut before each `---` line
 * (a document start can never be content, YAML forbids it inside scalars), except after a
 * directive, which belongs to the document that follows. A document longer than
 * `streamListAfter` characters whose top level holds a block-style `items:` (a `List`, as
 * `kubectl get -o yaml` prints it) is read item by item (lib/manifest_yaml_list.ts, loaded then).
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
        const { streamedListItems } = await import("./manifest_yaml_list.ts");
        if (yield* streamedListItems(c)) {
          scan = c.pos;
          continue;
        }
      }
      if (c.buf.length - c.pos > c.maxSize) throw documentTooLarge(c, c.pos);
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
    const lineOffset = lineAt(c, c.pos) - 1;
    yield plainYamlObjects(doc, c.file, lineOffset) ??
      await fullYamlObjects(doc, c.file, lineOffset);
    c.pos = idx + 1;
    compact(c);
    scan = c.pos;
  }
  const rest = c.buf.slice(c.pos);
  const line = lineAt(c, c.pos);
  c.pos = c.buf.length;
  if (rest) {
    yield plainYamlObjects(rest, c.file, line - 1) ?? await fullYamlObjects(rest, c.file, line - 1);
  }
}

/** The objects of one YAML text read by the `yaml` library, loaded now. */
async function fullYamlObjects(
  text: string,
  file: string,
  lineOffset: number,
): Promise<ManifestObject[]> {
  return (await import("./manifest_yaml.ts")).fullYamlObjects(text, file, lineOffset);
}
