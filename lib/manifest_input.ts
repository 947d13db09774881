/**
 * Reading manifest inputs (files, directories, stdin) as streams of checked text: valid UTF-8,
 * no NUL bytes, each problem named with its file and line. Memory stays bounded by the chunk
 * size; what the parsers keep is theirs to bound.
 *
 * @module
 */

import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "./errors.ts";

/**
 * Reads standard input: all of it as text, or as a stream of byte chunks (how the CLI reads it,
 * so a large pipe is never held whole).
 */
export type StdinSource = () => Promise<string> | AsyncIterable<Uint8Array>;

/** Options for reading inputs. */
export interface InputOptions {
  /** Descend into subdirectories of a directory argument. */
  recursive?: boolean;
  /** Reads stdin for the path `-`; defaults to the process's standard input. */
  readStdin?: StdinSource;
  /** Prefix of the message when `-` is given twice (`--rules `). */
  flag?: string;
}

/** One input: its name (`-` for stdin) and its text, chunk by chunk. */
export interface InputStream {
  /** The file it came from, `-` for stdin. */
  file: string;
  /** The text, in chunks split anywhere (even inside a line). */
  chunks: AsyncIterable<string>;
}

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];
/**
 * Bytes per read. Smaller than the 1 MiB it was: each chunk is decoded into a string and joined
 * to what is left of the last one, and with 1 MiB chunks those copies were most of the garbage
 * (peak memory for a 124 MB JSON `List` fell from about 128 MB to 102 MB, with the same CPU).
 */
const CHUNK_BYTES = 1 << 16;

/**
 * The given files, directories (their `.yaml`, `.yml` and `.json` files, sorted by name) and `-`
 * (stdin, at most once), in order, each opened only when its turn comes.
 *
 * @throws {InputError} for a missing file, an unreadable directory, `-` given twice, invalid
 *   UTF-8 or a NUL byte (with the line).
 */
export async function* openInputs(
  paths: readonly string[],
  options: InputOptions = {},
): AsyncGenerator<InputStream> {
  // A second read of stdin would find it drained and quietly yield nothing.
  if (paths.filter((p) => p === "-").length > 1) {
    throw new InputError(
      `${options.flag ?? ""}- (stdin) is given more than once; it can be read only once`,
    );
  }
  // Every path is looked up first, so a mistyped one fails before any output.
  const files: string[] = [];
  for (const path of paths) {
    if (path === "-") files.push(path);
    else files.push(...await expandPath(path, options.recursive ?? false));
  }
  for (const file of files) {
    const bytes = file === "-" ? stdinBytes(options.readStdin ?? processStdin) : fileBytes(file);
    yield { file, chunks: checkedText(bytes, file) };
  }
}

/** Reads one input whole (rule files, which are small). */
export async function readAll(input: InputStream): Promise<string> {
  let text = "";
  for await (const chunk of input.chunks) text += chunk;
  return text;
}

async function* stdinBytes(read: StdinSource): AsyncGenerator<Uint8Array | string> {
  const source = read();
  if (source instanceof Promise) yield await source;
  else yield* source;
}

async function* fileBytes(file: string): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (e) {
    throw new InputError(`cannot read file: ${describeFsError(e)}`, { file, cause: e });
  }
  try {
    while (true) {
      const buffer = new Uint8Array(CHUNK_BYTES);
      let bytesRead;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null));
      } catch (e) {
        throw new InputError(`cannot read file: ${describeFsError(e)}`, { file, cause: e });
      }
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Standard input of the process, as byte chunks, on Deno, Bun and Node. */
export async function* processStdin(): AsyncGenerator<Uint8Array> {
  const { default: process } = await import("node:process");
  for await (const chunk of process.stdin) yield chunk as Uint8Array;
}

/** Reads all of standard input as text, on Deno, Bun and Node. */
export function readStdin(): Promise<string> {
  return readStdinText(processStdin);
}

/**
 * Reads all of `read`'s standard input as text, checked as every input is (invalid UTF-8 and
 * NUL bytes refused with their line): for a stdin several consumers share.
 */
export function readStdinText(read: StdinSource): Promise<string> {
  return readAll({ file: "-", chunks: checkedText(stdinBytes(read), "-") });
}

/**
 * Decodes UTF-8 chunk by chunk, refusing invalid sequences and NUL bytes at their line: both
 * mean the input is not a manifest (a binary, `/dev/zero`, a UTF-16 file), and substituting
 * U+FFFD would quietly change names.
 */
async function* checkedText(
  source: AsyncIterable<Uint8Array | string>,
  file: string,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let line = 1;
  let carry = new Uint8Array(0);
  for await (const part of source) {
    let text: string;
    if (typeof part === "string") {
      text = part;
    } else {
      const bytes = carry.length ? concat(carry, part) : part;
      const end = completeEnd(bytes);
      carry = bytes.slice(end);
      try {
        text = decoder.decode(bytes.subarray(0, end), { stream: true });
      } catch {
        const at = invalidUtf8Offset(bytes.subarray(0, end));
        throw new InputError("invalid UTF-8: manifests must be UTF-8 text", {
          file,
          line: line + countNewlines(bytes.subarray(0, at)),
        });
      }
    }
    const nul = text.indexOf("\0");
    if (nul >= 0) {
      throw new InputError("NUL byte: manifests must be text", {
        file,
        line: line + countNewlinesText(text, nul),
      });
    }
    line += countNewlinesText(text, text.length);
    if (text) yield text;
  }
  if (carry.length) {
    throw new InputError("invalid UTF-8: the input ends inside a character", { file, line });
  }
}

/** The length of the prefix of `bytes` that ends on a character boundary. */
function completeEnd(bytes: Uint8Array): number {
  // Step back over at most three continuation bytes to the lead byte of the last character.
  let i = bytes.length - 1;
  const stop = Math.max(0, bytes.length - 4);
  while (i >= stop && (bytes[i] & 0xc0) === 0x80) i--;
  if (i < stop) return bytes.length;
  const lead = bytes[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - i < need && lead >= 0xc0 ? i : bytes.length;
}

/** Offset of the first byte of an invalid UTF-8 sequence (the decoder only says there is one). */
function invalidUtf8Offset(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Halve the window until the first failing byte is found: O(n log n), on the error path only.
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    try {
      decoder.decode(bytes.subarray(0, completeEnd(bytes.subarray(0, mid))));
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

function countNewlinesText(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
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
  if (code === "EISDIR") return "is a directory";
  return e instanceof Error ? e.message : String(e);
}
