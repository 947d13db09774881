/**
 * A full garbage collection on request, where the runtime offers one: the runtime-specific part
 * of keeping `compute`'s memory flat, in one place.
 *
 * Why: reading 100,000 objects leaves garbage (decoded chunks, document text, parsed objects)
 * that Bun's collector lets pile up for tens of thousands of objects before it collects, so the
 * peak grew with the input (31% from 10,000 to 100,000 objects). A collection every 10,000
 * objects costs about 10 ms each and keeps the peak flat.
 *
 * @module
 */

/**
 * The runtime's synchronous full collection: `Bun.gc(true)` on Bun, V8's `gc()` when the process
 * exposes it (`--v8-flags=--expose-gc`, `node --expose-gc`); undefined where there is none, so
 * callers skip the work of deciding when to collect.
 */
export function garbageCollector(): (() => void) | undefined {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun) {
    const bun = g.Bun;
    return () => bun.gc(true);
  }
  if (typeof g.gc === "function") return g.gc;
  return undefined;
}
