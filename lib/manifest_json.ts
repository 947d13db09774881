/**
 * The JSON fast path of the manifest reader: a single object, a `List` (its items read one at a
 * time, so `kubectl get -A -o json` is never held whole), an array of objects, or JSON lines.
 * Each value is cut out by a small scanner and handed to `JSON.parse`; anything the scanner or
 * `JSON.parse` refuses goes to the YAML parser, which either reads it (YAML flow style) or names
 * the problem and its line as before.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import {
  checkIdentity,
  checkObject,
  isListKind,
  isSelfDescribing,
  type ManifestObject,
  withListIdentity,
} from "./manifest_objects.ts";

/** Text arriving in chunks, read through a moving position. */
export interface TextCursor {
  /** Text not yet dropped. */
  buf: string;
  /** Read position in `buf`. */
  pos: number;
  /** Where the rest comes from. */
  chunks: AsyncIterator<string>;
  /** No more chunks. */
  ended: boolean;
  /** Line of `buf[mark]`. */
  line: number;
  /** Position in `buf` up to which lines are counted. */
  mark: number;
  /** Largest value (or YAML document) accepted, in characters. */
  maxSize: number;
  /** Name of the input, for errors. */
  file: string;
}

/** A cursor over `chunks`. */
export function textCursor(
  chunks: AsyncIterable<string>,
  file: string,
  maxSize: number,
): TextCursor {
  const it = chunks[Symbol.asyncIterator]();
  return { buf: "", pos: 0, chunks: it, ended: false, line: 1, mark: 0, maxSize, file };
}

/** Appends the next chunk; false at the end of the input. */
export async function more(c: TextCursor): Promise<boolean> {
  if (c.ended) return false;
  const next = await c.chunks.next();
  if (next.done) {
    c.ended = true;
    return false;
  }
  c.buf += next.value;
  return true;
}

/** The line of `pos` (positions asked for never go back before the last one asked). */
export function lineAt(c: TextCursor, pos: number): number {
  let i = c.buf.indexOf("\n", c.mark);
  while (i >= 0 && i < pos) {
    c.line++;
    i = c.buf.indexOf("\n", i + 1);
  }
  c.mark = pos;
  return c.line;
}

/** Drops what was read, so memory holds one value (or document) and one chunk. */
export function compact(c: TextCursor): void {
  if (c.pos < 1 << 16) return;
  lineAt(c, c.pos);
  c.buf = c.buf.slice(c.pos);
  c.mark -= c.pos;
  c.pos = 0;
}

/** The input is not JSON (before anything was read from it, the YAML parser takes over). */
class NotJson extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** The value ended by `]`/`}` or the end of input: the caller reads what follows. */
function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Skips whitespace; false at the end of the input. */
async function skipWhitespace(c: TextCursor): Promise<boolean> {
  while (true) {
    const { buf } = c;
    while (c.pos < buf.length && isWhitespace(buf.charCodeAt(c.pos))) c.pos++;
    if (c.pos < buf.length) return true;
    if (!await more(c)) return false;
  }
}

/**
 * Cuts out the JSON value at `c.pos`: its end and the number of colons outside strings (the
 * number of keys, compared with what `JSON.parse` kept to find duplicate keys).
 */
async function scanValue(c: TextCursor): Promise<{ end: number; colons: number }> {
  const start = c.pos;
  let i = start;
  let depth = 0;
  let colons = 0;
  while (true) {
    if (i - start > c.maxSize) {
      throw new InputError(
        `a single object is larger than ${c.maxSize} characters (the limit for one object)`,
        { file: c.file, line: lineAt(c, start) },
      );
    }
    if (i >= c.buf.length) {
      if (await more(c)) continue;
      if (depth === 0 && i > start) return { end: i, colons };
      throw new NotJson("the input ends inside a value", lineAt(c, start));
    }
    const code = c.buf.charCodeAt(i);
    if (code === 34 /* " */) {
      const end = stringEnd(c.buf, i + 1);
      if (end < 0) {
        if (await more(c)) continue;
        throw new NotJson("the input ends inside a string", lineAt(c, start));
      }
      i = end;
      if (depth === 0) return { end: i, colons };
      continue;
    }
    if (code === 123 /* { */ || code === 91 /* [ */) depth++;
    else if (code === 125 /* } */ || code === 93 /* ] */) {
      if (depth === 0) return { end: i, colons };
      depth--;
      if (depth === 0) return { end: i + 1, colons };
    } else if (code === 58 /* : */) colons++;
    else if (depth === 0 && (code === 44 /* , */ || isWhitespace(code))) return { end: i, colons };
    i++;
  }
}

/** The position after the closing quote of a string whose content starts at `from`, or -1. */
function stringEnd(buf: string, from: number): number {
  let q = buf.indexOf('"', from);
  while (q >= 0) {
    let backslashes = 0;
    while (buf.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    q = buf.indexOf('"', q + 1);
  }
  return -1;
}

function countKeys(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += countKeys(x);
    return n;
  }
  for (const k in v) n += 1 + countKeys((v as Record<string, unknown>)[k]);
  return n;
}

/** Reading state of one input: once an object is handed on, falling back to YAML is too late. */
interface JsonRead {
  cursor: TextCursor;
  committed: boolean;
}

/**
 * Reads the value at the cursor. What `JSON.parse` refuses (or where it dropped a duplicate key)
 * is NotJson before anything was handed on, and afterwards goes to the YAML parser for its value
 * or its error.
 */
async function readValue(r: JsonRead): Promise<{ value: unknown; line: number }> {
  const c = r.cursor;
  const start = c.pos;
  const line = lineAt(c, start);
  const { end, colons } = await scanValue(c);
  const text = c.buf.slice(start, end);
  c.pos = end;
  try {
    const value = JSON.parse(text);
    if (countKeys(value) === colons) return { value, line };
  } catch {
    // Not JSON: YAML flow style, or a mistake for the YAML parser to name.
  }
  if (!r.committed) throw new NotJson("not JSON", line);
  // The YAML parser names the problem and its line; what it reads (flow style) is still not JSON.
  // Loaded here: reading JSON never needs it otherwise.
  const { parseYamlDocuments } = await import("./manifest_yaml.ts");
  parseYamlDocuments(text, c.file, line - 1);
  throw new InputError("malformed JSON: a value that is not JSON in a JSON input", {
    file: c.file,
    line,
  });
}

async function expect(r: JsonRead, what: string): Promise<string> {
  const c = r.cursor;
  if (!await skipWhitespace(c)) {
    throw notJson(r, `the input ends where ${what} was expected`, lineAt(c, c.buf.length));
  }
  return c.buf[c.pos];
}

function notJson(r: JsonRead, message: string, line: number): Error {
  return r.committed
    ? new InputError(`malformed JSON: ${message}`, { file: r.cursor.file, line })
    : new NotJson(message, line);
}

/**
 * The objects of a JSON input, one at a time. Returns `"yaml"` when the input is not JSON and
 * nothing was handed on yet: the caller then reads the whole input (still in the cursor, from
 * position 0) as YAML; `"rest"` when a `---` line follows JSON documents: the caller reads the
 * rest, from the cursor's position, as YAML.
 *
 * @throws {InputError} naming the file and line.
 */
export async function* jsonManifests(
  cursor: TextCursor,
): AsyncGenerator<ManifestObject, "yaml" | "rest" | undefined> {
  const r: JsonRead = { cursor, committed: false };
  try {
    while (await skipWhitespace(cursor)) {
      if (r.committed) compact(cursor);
      const open = cursor.buf[cursor.pos];
      const line = lineAt(cursor, cursor.pos);
      // Enough text to tell a `---` line (chunks may end anywhere).
      while (open === "-" && cursor.buf.length < cursor.pos + 4 && await more(cursor));
      if (open === "[") {
        cursor.pos++;
        for await (const item of arrayItems(r)) {
          for (const obj of checkObject(item.value, item.line, cursor.file)) {
            r.committed = true;
            yield obj;
          }
        }
      } else if (open === "{") {
        for await (const obj of objectOrList(r, line)) {
          r.committed = true;
          yield obj;
        }
      } else if (r.committed && /^---(\s|$)/.test(cursor.buf.slice(cursor.pos, cursor.pos + 4))) {
        // A YAML stream of JSON documents (`---` between them): the YAML reader takes the rest.
        return "rest";
      } else {
        throw notJson(r, "expected an object or a list", line);
      }
    }
  } catch (e) {
    if (e instanceof NotJson && !r.committed) return "yaml";
    if (e instanceof NotJson) {
      throw new InputError(`malformed JSON: ${e.message}`, { file: cursor.file, line: e.line });
    }
    throw e;
  }
  return undefined;
}

/** The items of a list whose `[` was just read. */
async function* arrayItems(r: JsonRead): AsyncGenerator<{ value: unknown; line: number }> {
  const c = r.cursor;
  let first = true;
  while (true) {
    let next = await expect(r, "an item or ]");
    if (next === "]") {
      c.pos++;
      return;
    }
    if (!first) {
      if (next !== ",") throw notJson(r, "expected , or ] after an item", lineAt(c, c.pos));
      c.pos++;
      next = await expect(r, "an item");
    }
    first = false;
    yield await readValue(r);
    if (r.committed) compact(c);
  }
}

/**
 * A top-level object at `line`: handed on whole, or, when it is a `List`, item by item as they
 * are read. `kubectl get -o json` writes `kind` after `items`, so items that carry their own
 * `apiVersion` and `kind` are handed on before the list's kind is known, and the kind is checked
 * when it comes.
 */
async function* objectOrList(r: JsonRead, line: number): AsyncGenerator<ManifestObject> {
  const c = r.cursor;
  const { file } = c;
  c.pos++; // {
  const entries: Array<[string, unknown]> = [];
  const keys = new Set<string>();
  const field = (k: string) => entries.find(([key]) => key === k)?.[1];
  let streamed = false; // items handed on before the kind was known
  let pending: Array<{ value: unknown; line: number }> | undefined; // items kept until then
  let first = true;
  while (true) {
    let next = await expect(r, "a key or }");
    if (next === "}") {
      c.pos++;
      break;
    }
    if (!first) {
      if (next !== ",") throw notJson(r, "expected , or } after a value", lineAt(c, c.pos));
      c.pos++;
      next = await expect(r, "a key");
    }
    first = false;
    const keyLine = lineAt(c, c.pos);
    if (next !== '"') throw notJson(r, "expected a quoted key", keyLine);
    const { value: key } = await readValue(r);
    if (typeof key !== "string") throw notJson(r, "expected a quoted key", keyLine);
    if (keys.has(key)) {
      if (r.committed) {
        throw new InputError("malformed YAML: Map keys must be unique", { file, line: keyLine });
      }
      throw new NotJson("duplicate key", keyLine);
    }
    keys.add(key);
    if (await expect(r, ":") !== ":") throw notJson(r, "expected : after a key", keyLine);
    c.pos++;
    next = await expect(r, "a value");
    if (key !== "items" || next !== "[") {
      entries.push([key, (await readValue(r)).value]);
      continue;
    }
    c.pos++;
    const items: unknown[] = [];
    for await (const item of arrayItems(r)) {
      const apiVersion = field("apiVersion");
      const kind = field("kind");
      if (typeof apiVersion === "string" && isListKind(kind)) {
        const filled = withListIdentity(item.value, apiVersion, kind.slice(0, -"List".length));
        yield* checkObject(filled, item.line, file);
      } else if (typeof kind === "string") {
        items.push(item.value); // not a list: its items are its own
      } else if (
        isSelfDescribing(item.value) && pending === undefined && typeof apiVersion !== "object"
      ) {
        streamed = true;
        yield* checkObject(item.value, item.line, file);
      } else {
        (pending ??= []).push(item);
      }
    }
    entries.push(["items", items]);
  }
  const object = Object.fromEntries(entries);
  if (!streamed && pending === undefined) {
    yield* checkObject(object, line, file);
    return;
  }
  const list = checkIdentity(object, line, file);
  if (!isListKind(list.kind)) {
    throw new InputError(
      `${list.kind} has items that were read as a list's, but it is not a List kind`,
      { file, line },
    );
  }
  for (const item of pending ?? []) {
    const filled = withListIdentity(item.value, list.apiVersion, list.kind.slice(0, -4));
    yield* checkObject(filled, item.line, file);
  }
}

/** The error for a YAML document from `at` that grew past the cursor's limit. */
export function documentTooLarge(c: TextCursor, at: number): InputError {
  return new InputError(
    `a single YAML document is larger than ${c.maxSize} characters (the limit for one document)`,
    { file: c.file, line: lineAt(c, at) },
  );
}
