/**
 * Time, injectable: the engine asks a `Clock` for the time and for abortable
 * sleeps, so tests run poll intervals without waiting.
 *
 * @module
 */

import { sleep } from "../sleep.ts";

/** The engine's source of time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms`, or rejects with the signal's reason when aborted;
   * leaves no timer behind either way.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock.
 *
 * @example
 * ```ts
 * import { systemClock } from "@kstatus/kstatus";
 * const start = systemClock.now();
 * await systemClock.sleep(10);
 * console.log(systemClock.now() - start >= 10); // true
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};

/** A clock for tests: time moves only when `advance` is called. */
export interface ManualClock extends Clock {
  /** Moves time forward, waking the sleepers whose time has come. */
  advance(ms: number): Promise<void>;
  /** Number of pending sleeps. */
  readonly sleepers: number;
}

/**
 * Creates a manual clock starting at `start` (ms since the epoch).
 *
 * @example
 * ```ts
 * import { createManualClock } from "@kstatus/kstatus";
 * const clock = createManualClock(0);
 * const done = clock.sleep(1000);
 * await clock.advance(1000);
 * await done;
 * ```
 */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  const sleepers = new Set<{ at: number; resolve: () => void }>();
  return {
    now: () => now,
    get sleepers() {
      return sleepers.size;
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const entry = {
          at: now + ms,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(entry);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        sleepers.add(entry);
      });
    },
    async advance(ms) {
      now += ms;
      for (const s of [...sleepers]) {
        if (s.at <= now) {
          sleepers.delete(s);
          s.resolve();
        }
      }
      // Let the woken code run up to its next await.
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}
