/**
 * A full garbage collection on request, where it helps: the runtime-specific part of keeping
 * `compute`'s memory flat, in one place.
 *
 * Why: reading 100,000 objects leaves garbage (decoded chunks, document text, parsed objects)
 * that Bun's collector lets pile up for tens of thousands of objects before it collects, so the
 * peak grew with the input (31% from 10,000 to 100,000 objects). A collection every 10,000
 * objects costs about 10 ms each and keeps the peak flat. On V8 (Deno, Node) an exposed `gc()`
 * at the same pace measured no flatter and cost CPU: V8 sizes its heap to the work and collects
 * on its own schedule, so nothing is offered there.
 *
 * @module
 */

/** The runtime's synchronous full collection, `Bun.gc(true)`; undefined on other runtimes. */
export function garbageCollector(): (() => void) | undefined {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  return bun ? () => bun.gc(true) : undefined;
}
