/**
 * One redaction pass for text that may hold credentials before it is
 * printed or logged: known secrets (tokens, passwords, exec credentials),
 * Basic credentials in base64, `Authorization` values, PEM private keys and
 * `user:password@` in URLs.
 *
 * @module
 */

/** What replaces a secret. */
export const REDACTED = "[redacted]";

const PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;
const AUTHORIZATION =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(bearer|basic)?\s*[^\s"',;]+/gi;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi;

/**
 * `text` with every secret in `secrets` (and the base64 of `user:password`
 * pairs in `basic`) and every credential-shaped part replaced by `[redacted]`.
 *
 * @example
 * ```ts
 * import { redact } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   redact("GET https://ann:pw@api:6443 Authorization: Bearer abc.def.ghi", []),
 *   "GET https://[redacted]@api:6443 Authorization: Bearer [redacted]",
 * );
 * assert.equal(redact("token tok-12345 leaked", ["tok-12345"]), "token [redacted] leaked");
 * ```
 */
export function redact(
  text: string,
  secrets: Iterable<string>,
  basic: Iterable<{ username: string; password: string }> = [],
): string {
  let out = text;
  const all = [...secrets];
  for (const { username, password } of basic) {
    if (!password) continue;
    const bytes = new TextEncoder().encode(`${username}:${password}`);
    all.push(password, btoa(String.fromCharCode(...bytes)));
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of all.sort((a, b) => b.length - a.length)) {
    if (s && s.length >= 4) out = out.split(s).join(REDACTED);
  }
  return out
    .replace(PRIVATE_KEY, REDACTED)
    .replace(
      AUTHORIZATION,
      (_m, name, sep, scheme) => `${name}${sep}${scheme ? `${scheme} ` : ""}${REDACTED}`,
    )
    .replace(BEARER, (_m, scheme) => `${scheme} ${REDACTED}`)
    .replace(URL_USERINFO, (_m, scheme) => `${scheme}${REDACTED}@`);
}

/** `text` cut to `max` characters, the cut said: server bodies are quoted, never in full. */
export function bounded(text: string, max = 1_000): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
