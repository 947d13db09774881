/**
 * An abortable sleep, shared by the engine's clock and the client's retries.
 *
 * @module
 */

/**
 * Resolves after `ms`; rejects with the signal's reason as soon as it aborts,
 * clearing its timer, so nothing is left pending either way.
 *
 * @example
 * ```ts
 * import { sleep } from "@kstatus/kstatus/kube";
 * await sleep(10);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
