/**
 * Retry policy: bounded attempts, exponential backoff with full jitter,
 * `Retry-After` honoured, and a sleep that ends at once on abort.
 *
 * @module
 */

/** How requests are retried. */
export interface RetryOptions {
  /** Tries in all, the first included; default 5. `1` disables retries. */
  maxAttempts?: number;
  /** Backoff before the second try, doubled for each further try; default 200 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff; default 5000 ms. */
  maxDelayMs?: number;
  /** Cap of a server's `Retry-After`; default 10000 ms (a command must end near its deadline). */
  maxRetryAfterMs?: number;
  /** Random number in [0, 1) for jitter; default `Math.random`. */
  random?: () => number;
}

/** Sleeps `ms`; rejects with the signal's reason as soon as it aborts. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The default {@linkcode SleepFn}: a timer that is cleared on abort. */
export { sleep } from "../sleep.ts";

/** Retry options with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** Fills in the defaults. */
export function resolveRetryOptions(opts: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: Math.max(1, opts.maxAttempts ?? 5),
    baseDelayMs: opts.baseDelayMs ?? 200,
    maxDelayMs: opts.maxDelayMs ?? 5000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 10_000,
    random: opts.random ?? Math.random,
  };
}

/**
 * The wait before try `attempt + 1` (attempt counts from 1): the server's
 * `Retry-After` when it gave one (capped), else full jitter over an
 * exponentially growing window.
 */
export function backoffDelay(
  attempt: number,
  opts: ResolvedRetryOptions,
  retryAfterSeconds?: number,
): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0) {
    return Math.min(retryAfterSeconds * 1000, opts.maxRetryAfterMs);
  }
  const window = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(opts.random() * window);
}

/**
 * Seconds from a `Retry-After` header: delta-seconds or an HTTP date.
 * `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Waits for `p`, or rejects with the signal's reason as soon as it aborts (`p` goes on). */
export function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
