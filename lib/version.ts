/**
 * The package version, read from `deno.json` through the module graph so it
 * is embedded in compiled binaries and works when run from a URL.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/** The kstatus version, e.g. `0.1.0`. */
export const VERSION: string = denoJson.version;

/** A short description of the JavaScript runtime running kstatus. */
export function runtimeDescription(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { versions?: { node?: string } };
  };
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  return `node ${g.process?.versions?.node ?? "unknown"}`;
}
