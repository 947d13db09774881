/**
 * Reading a watch stream: newline-delimited JSON events, split as bytes
 * arrive (an event may span chunks, a chunk may hold several events).
 *
 * @module
 */

/** Splits a byte stream into lines (UTF-8), the last one even without a newline. */
export async function* lines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield line;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) yield buffer.trim();
}
