/**
 * Bounded work for diagnostics: a few requests at a time, all under one deadline.
 *
 * @module
 */

/**
 * Runs `tasks` at most `concurrency` at a time until all are done or `signal` aborts; a task
 * not started by then is never started. A task's rejection is its own business (ignored here).
 * Resolves once every started task has settled.
 */
export async function runBounded(
  tasks: ReadonlyArray<() => Promise<void>>,
  concurrency: number,
  signal: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !signal.aborted) {
      const task = tasks[next++];
      await task().catch(() => {});
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker);
  await Promise.all(workers);
}

/**
 * A signal that aborts after `ms` or with `parent`, and a function that releases its timer.
 */
export function deadline(
  ms: number,
  parent?: AbortSignal,
): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("diagnostics deadline", "TimeoutError")),
    ms,
  );
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  parent?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    },
  };
}
