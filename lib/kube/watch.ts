/**
 * Reading a watch stream: newline-delimited JSON events, split as bytes
 * arrive (an event may span chunks, a chunk may hold several events). The
 * scan is linear (each byte looked at once) and one event has a size limit,
 * so a stream that never sends a newline cannot grow memory without bound.
 *
 * @module
 */

/** A line (a watch event) or a whole response body grew past its limit. */
export class SizeLimitError extends Error {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "SizeLimitError";
  /** The limit (characters of a line, bytes of a body). */
  limit: number;
  /**
   * Creates the error.
   *
   * @param what what grew too large
   * @param limit the limit that was exceeded
   */
  constructor(what: string, limit: number) {
    super(`${what} is larger than ${limit}`);
    this.limit = limit;
  }
}

/**
 * Splits a byte stream into lines (UTF-8), the last one even without a
 * newline; blank lines are skipped, lines are trimmed.
 *
 * @throws {SizeLimitError} when a line grows past `maxLine` characters.
 */
export async function* lines(
  body: AsyncIterable<Uint8Array>,
  maxLine = Infinity,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  // The unfinished line, as pieces: joined once, when its newline arrives.
  let parts: string[] = [];
  let length = 0;
  const take = (last: string): string => {
    parts.push(last);
    const line = parts.join("").trim();
    parts = [];
    length = 0;
    return line;
  };
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf("\n", start)) >= 0) {
      if (length + nl - start > maxLine) throw new SizeLimitError("one line", maxLine);
      const line = take(text.slice(start, nl));
      start = nl + 1;
      if (line) yield line;
    }
    if (start < text.length) {
      length += text.length - start;
      if (length > maxLine) throw new SizeLimitError("one line", maxLine);
      parts.push(start === 0 ? text : text.slice(start));
    }
  }
  const line = take(decoder.decode());
  if (line) yield line;
}

/**
 * Reads a whole body as UTF-8 text, calling `progress` per chunk.
 *
 * @throws {SizeLimitError} past `maxBytes`.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  progress: () => void,
): Promise<string> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw new SizeLimitError("the response", maxBytes);
    progress();
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/** `3 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
