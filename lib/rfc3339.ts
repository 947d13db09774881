/**
 * Timestamps read the way the Go original reads `metadata.creationTimestamp`:
 * Go's `time.Parse(time.RFC3339, s)`, which is stricter than `Date.parse`
 * (no date-only or zone-less forms, no RFC 2822 dates, no lowercase `t`/`z`,
 * no extended years, no February 30th) and lenient in a few ways of its own
 * (a comma before the fraction, a one-digit hour, a zone offset of up to
 * 24:60).
 *
 * @module
 */

/** Days in `month` (1-12) of `year`, with Gregorian leap years. */
function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to the proleptic Gregorian date (valid for any year). */
function daysFromEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Go's `getnum`: two digits, or (when not `fixed`) one digit not followed by another.
 * Returns the number and the characters consumed, or undefined.
 */
function getnum(s: string, at: number, fixed: boolean): [number, number] | undefined {
  if (!isDigit(s, at)) return undefined;
  if (!isDigit(s, at + 1)) return fixed ? undefined : [s.charCodeAt(at) - 48, 1];
  return [(s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48, 2];
}

/**
 * Milliseconds since the epoch of an RFC3339 timestamp as Go's
 * `time.Parse(time.RFC3339, s)` accepts it, or `NaN` where Go returns an
 * error. Layout `2006-01-02T15:04:05Z07:00`: a four-digit year, two-digit
 * month (1-12), day (1 to the days of that month), minute and second (0-59),
 * an hour of one or two digits (0-23), an optional fraction after `.` or `,`,
 * then `Z` or `±hh:mm` (up to 24 hours and 60 minutes), and nothing after.
 *
 * @example
 * ```ts
 * import { parseRfc3339 } from "./rfc3339.ts";
 * parseRfc3339("2024-05-01T12:00:00Z"); // 1714564800000
 * parseRfc3339("2024-05-01"); // NaN
 * ```
 */
export function parseRfc3339(s: string): number {
  if (s.length < 4 || !isDigit(s, 0)) return NaN;
  if (!isDigit(s, 1) || !isDigit(s, 2) || !isDigit(s, 3)) return NaN;
  const year = Number(s.slice(0, 4));
  let i = 4;
  const literal = (c: string): boolean => {
    if (s[i] !== c) return false;
    i++;
    return true;
  };
  const num = (fixed: boolean, max: number): number => {
    const got = getnum(s, i, fixed);
    if (!got || got[0] > max) return NaN;
    i += got[1];
    return got[0];
  };
  if (!literal("-")) return NaN;
  const month = num(true, 12);
  if (!(month >= 1) || !literal("-")) return NaN;
  const day = num(true, 99);
  if (Number.isNaN(day) || !literal("T")) return NaN;
  const hour = num(false, 23);
  if (Number.isNaN(hour) || !literal(":")) return NaN;
  const minute = num(true, 59);
  if (Number.isNaN(minute) || !literal(":")) return NaN;
  const second = num(true, 59);
  if (Number.isNaN(second)) return NaN;

  let ms = 0;
  if ((s[i] === "." || s[i] === ",") && isDigit(s, i + 1)) {
    let end = i + 1;
    while (isDigit(s, end)) end++;
    // Go keeps nanoseconds; milliseconds are all a Date holds.
    ms = Math.floor(Number(`0.${s.slice(i + 1, end)}`) * 1000);
    i = end;
  }

  let offsetMinutes = 0;
  if (s[i] === "Z") {
    i++;
  } else {
    if (s.length - i < 6 || s[i + 3] !== ":") return NaN;
    const sign = s[i];
    const hh = getnum(s.slice(i + 1, i + 3), 0, true);
    const mm = getnum(s.slice(i + 4, i + 6), 0, true);
    if (!hh || !mm || hh[0] > 24 || mm[0] > 60) return NaN;
    if (sign !== "+" && sign !== "-") return NaN;
    offsetMinutes = (sign === "-" ? -1 : 1) * (hh[0] * 60 + mm[0]);
    i += 6;
  }
  if (i !== s.length) return NaN;
  if (day < 1 || day > daysIn(month, year)) return NaN;

  const seconds = daysFromEpoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return (seconds - offsetMinutes * 60) * 1000 + ms;
}
