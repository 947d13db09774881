/**
 * Builds the built-in rule pack's modules from its sources: reads, checks and compiles every
 * rule of lib/rules/builtin/pack/*.yaml and strict/*.yaml and writes lib/rules/builtin/rules.gen.ts
 * (the pack), kinds.gen.ts (the kinds it has rules for, so `compute` loads the pack only for
 * them), strict.gen.ts (the strict checks) and fixtures.gen.ts (their fixtures, loaded by
 * `kstatus rules test` only). tests/rules/pack_test.ts fails when they are out of date.
 *
 *   deno task gen:pack           # write them
 *   deno task gen:pack --check   # exit 1 when they differ from what would be written
 */

import { generatePack } from "./pack_support.ts";

const root = new URL("..", import.meta.url).pathname;
const { rulesModule, kindsModule, strictModule, fixturesModule, summary } = await generatePack(
  root,
);
const targets = [
  [`${root}lib/rules/builtin/rules.gen.ts`, rulesModule],
  [`${root}lib/rules/builtin/kinds.gen.ts`, kindsModule],
  [`${root}lib/rules/builtin/strict.gen.ts`, strictModule],
  [`${root}lib/rules/builtin/fixtures.gen.ts`, fixturesModule],
] as const;
if (Deno.args.includes("--check")) {
  let stale = false;
  for (const [path, text] of targets) {
    const old = await Deno.readTextFile(path).catch(() => "");
    if (old !== text) {
      console.error(`${path} is out of date: run deno task gen:pack`);
      stale = true;
    }
  }
  if (stale) Deno.exit(1);
  console.log(`pack modules are up to date (${summary})`);
} else {
  for (const [path, text] of targets) await Deno.writeTextFile(path, text);
  console.log(`wrote the pack modules (${summary})`);
}
