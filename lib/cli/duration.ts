/**
 * Parsing durations typed on the command line: `5m`, `2s`, `1h30m`, `500ms`,
 * or a plain number of seconds.
 *
 * @module
 */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration into milliseconds.
 *
 * @throws {Error} with a message naming the flag when the text is not a duration.
 *
 * @example
 * ```ts
 * import { parseDuration } from "@kstatus/kstatus/cli";
 * parseDuration("1m30s", "--timeout"); // 90000
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched += m[0].length;
  }
  if (matched === 0 || matched !== s.length) {
    throw new Error(`${flag}: "${text}" is not a duration (examples: 30s, 5m, 1h30m, 500ms, 0)`);
  }
  return Math.round(total);
}
