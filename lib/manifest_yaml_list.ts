/**
 * A large YAML `List` read item by item: `kubectl get -A -o yaml` prints one document whose
 * top-level `items:` holds every object, which the document-by-document reader would hold whole
 * (up to its 64 MiB limit). In block style each item starts with a `- ` line at the items'
 * indentation and ends before the next line at that indentation or less, so each item is cut
 * out by its lines and parsed on its own, keeping its line for errors.
 *
 * Limits: an alias to an anchor in another item cannot be resolved (it is named as an error at
 * its line), and a flow collection or quoted scalar whose lines fall back to the items'
 * indentation is cut there (the parser names the mistake). kubectl prints neither.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { compact, documentTooLarge, lineAt, more, type TextCursor } from "./manifest_json.ts";
import {
  checkIdentity,
  checkObject,
  isListKind,
  isSelfDescribing,
  type ManifestObject,
  withListIdentity,
} from "./manifest_objects.ts";
import { type YamlValue, yamlValues } from "./manifest_yaml.ts";

const ITEMS_KEY = /^items:[ \t]*(?:#.*)?\r?$/gm;

/**
 * When the document at the cursor is a mapping with a block-style `items:` at its top level
 * and no other `kind` than a List kind before it, reads its items one at a time and then the
 * rest of the document, leaving the cursor at the document's end; false (the cursor untouched)
 * for any other document.
 *
 * @throws {InputError} naming the file and line.
 */
export async function* streamedListItems(
  c: TextCursor,
): AsyncGenerator<ManifestObject[], boolean> {
  const start = c.pos;
  ITEMS_KEY.lastIndex = start;
  const items = ITEMS_KEY.exec(c.buf);
  // The whole `items:` line is there (the document is longer than a chunk).
  if (!items || c.buf.indexOf("\n", items.index) < 0) return false;
  const headText = c.buf.slice(start, items.index);
  if (headText.startsWith("%") || headText.includes("\n%")) return false; // directives
  const firstItem = await firstItemLine(c, await lineEnd(c, items.index));
  if (!firstItem) return false;
  const startLine = lineAt(c, start);
  let head: YamlValue | undefined;
  try {
    head = yamlValues(headText, c.file, startLine - 1)[0];
  } catch {
    return false; // the whole document is read as usual, and its mistake named
  }
  const fields = head?.value ?? {};
  if (!isPlainMapping(fields) || "items" in fields) return false;
  if (fields.kind !== undefined && !isListKind(fields.kind)) return false;

  const { file } = c;
  const listLine = head?.line ?? lineAt(c, items.index);
  const { indent } = firstItem;
  let streamed = false; // items handed on before the list's kind was known
  let pending: YamlValue[] | undefined; // items kept until it is
  c.pos = firstItem.start;
  let itemStart = c.pos;
  let at = await lineEnd(c, itemStart); // the line after the item's first
  while (true) {
    const after = await lineEnd(c, at); // the line at `at` is whole from here on
    const next = at < c.buf.length ? classify(c.buf, at, indent) : "end";
    if (next === "more") {
      if (after - itemStart > c.maxSize) {
        throw new InputError(
          `a single List item is larger than ${c.maxSize} characters (the limit for one object)`,
          { file, line: lineAt(c, itemStart) },
        );
      }
      at = after;
      continue;
    }
    // The item's `-` becomes a space: what is left is the item, at its own indentation.
    const text = " ".repeat(indent + 1) + c.buf.slice(itemStart + indent + 1, at);
    const itemLine = lineAt(c, itemStart);
    const values = yamlValues(text, file, itemLine - 1);
    if (values.length === 0) checkIdentity(null, itemLine, file); // an empty item
    for (const item of values) {
      const { apiVersion, kind } = fields;
      if (typeof apiVersion === "string" && isListKind(kind)) {
        const filled = withListIdentity(item.value, apiVersion, kind.slice(0, -"List".length));
        yield checkObject(filled, item.line, file, item.itemLines);
      } else if (isSelfDescribing(item.value) && pending === undefined) {
        streamed = true;
        yield checkObject(item.value, item.line, file, item.itemLines);
      } else {
        (pending ??= []).push(item);
      }
    }
    c.pos = at;
    compact(c);
    itemStart = c.pos;
    if (next === "end") break;
    at = await lineEnd(c, itemStart);
  }

  // The rest of the document: the keys after `items` (kubectl prints `kind` there).
  const restStart = c.pos;
  let end = restStart;
  while (true) {
    const after = await lineEnd(c, end);
    if (end >= c.buf.length || isDocumentStart(c.buf, end)) break;
    end = after;
    if (end - restStart > c.maxSize) {
      throw documentTooLarge(c, restStart);
    }
  }
  const restLine = lineAt(c, restStart);
  const rest = yamlValues(c.buf.slice(restStart, end), file, restLine - 1)[0];
  c.pos = end;
  const restFields = rest?.value ?? {};
  if (!isPlainMapping(restFields)) {
    throw new InputError("malformed YAML: expected more keys of the List after its items", {
      file,
      line: rest?.line ?? restLine,
    });
  }
  for (const key of Object.keys(restFields)) {
    if (key in fields || key === "items") {
      throw new InputError("malformed YAML: Map keys must be unique", {
        file,
        line: keyLine(c.buf.slice(restStart, end), key, restLine),
      });
    }
  }
  const list = checkIdentity({ ...fields, ...restFields }, listLine, file);
  if (!isListKind(list.kind) && !streamed) {
    // Not a list after all, and nothing handed on: its items are its own.
    const items = (pending ?? []).map((item) => item.value);
    yield checkObject({ ...fields, items, ...restFields }, listLine, file);
    return true;
  }
  if (!isListKind(list.kind)) {
    throw new InputError(
      `${list.kind} has items that were read as a list's, but it is not a List kind`,
      { file, line: listLine },
    );
  }
  for (const item of pending ?? []) {
    const filled = withListIdentity(item.value, list.apiVersion, list.kind.slice(0, -4));
    yield checkObject(filled, item.line, file, item.itemLines);
  }
  return true;
}

/**
 * What the line at `at` means for the item being read: `more` of it (deeper, blank or a
 * comment), the next `item`, or the `end` of the items (a key after them, a document start).
 */
function classify(buf: string, at: number, indent: number): "more" | "item" | "end" {
  let i = at;
  while (buf.charCodeAt(i) === 32) i++;
  const code = buf.charCodeAt(i);
  if (Number.isNaN(code) || code === 10 || code === 13 || code === 35 /* # */) return "more";
  if (i - at > indent) return "more";
  return i - at === indent && code === 45 /* - */ && isBlankOrEnd(buf.charCodeAt(i + 1))
    ? "item"
    : "end";
}

/** The first entry of the sequence after the `items:` line: its start and indentation. */
async function firstItemLine(
  c: TextCursor,
  from: number,
): Promise<{ start: number; indent: number } | undefined> {
  for (let at = from;;) {
    const after = await lineEnd(c, at);
    if (at >= c.buf.length) return undefined;
    let i = at;
    while (c.buf.charCodeAt(i) === 32) i++;
    const code = c.buf.charCodeAt(i);
    if (code !== 10 && code !== 13 && code !== 35 /* # */) {
      return code === 45 /* - */ && isBlankOrEnd(c.buf.charCodeAt(i + 1))
        ? { start: at, indent: i - at }
        : undefined;
    }
    at = after;
  }
}

/** The start of the line after the one at `at` (the end of the input for the last line). */
async function lineEnd(c: TextCursor, at: number): Promise<number> {
  while (true) {
    const nl = c.buf.indexOf("\n", at);
    if (nl >= 0) return nl + 1;
    if (!await more(c)) return c.buf.length;
  }
}

/** A `---` line: the next document starts there. */
function isDocumentStart(buf: string, at: number): boolean {
  return buf.startsWith("---", at) && isBlankOrEnd(buf.charCodeAt(at + 3));
}

function isBlankOrEnd(code: number): boolean {
  return Number.isNaN(code) || code === 32 || code === 9 || code === 10 || code === 13;
}

/** The line of the top-level `key:` in `text`, whose first line is `line`. */
function keyLine(text: string, key: string, line: number): number {
  const at = text.search(new RegExp(`^"?${key.replace(/[^\w]/g, "\\$&")}"?\\s*:`, "m"));
  return at < 0 ? line : line + text.slice(0, at).split("\n").length - 1;
}

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
