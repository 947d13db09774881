/**
 * The library on three runtimes: `library_smoke.mjs` imports the library
 * entry and prints the status of three objects parsed from YAML. Deno and
 * Bun import `mod.ts` itself (Bun resolving the npm dependencies from
 * `node_modules` after `bun install`); Node 20 cannot load TypeScript, so it
 * imports `dist/node/kstatus.mjs`, the bundle `deno task release` builds with
 * `bun build --target=node`, copied alone into an empty directory so nothing
 * can come from `node_modules`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NODE_BUNDLE } from "../../scripts/release.ts";
import { mustRun, onPath, releaseFile, REPO, smokeTest } from "./helpers.ts";

const SMOKE = join(REPO, "tests/dist/library_smoke.mjs");
const MOD = pathToFileURL(join(REPO, "mod.ts")).href;

/** What every runtime must print: line, identifier, status and message of each object. */
const EXPECTED = [
  "2 Pod/default/web-0 Current: Pod is Ready",
  "9 Deployment/shop/api InProgress: Available: 1/3",
  "15 Job/shop/migrate Failed: Job Failed. failed: 1/1",
].join("\n") + "\n";

Deno.test("library on Deno: mod.ts", async () => {
  assert.equal(await mustRun(Deno.execPath(), ["run", "-A", SMOKE, MOD], { cwd: REPO }), EXPECTED);
});

smokeTest("library on Bun: mod.ts", (await onPath("bun")) ? [] : ["needs bun"], async () => {
  await mustRun("bun", ["install", "--frozen-lockfile", "--silent"], { cwd: REPO });
  assert.equal(
    await mustRun("bun", ["--tsconfig-override=bun.tsconfig.json", SMOKE, MOD], { cwd: REPO }),
    EXPECTED,
  );
});

smokeTest("library on Node: the bundle", (await onPath("node")) ? [] : ["needs node"], async () => {
  const bundle = await releaseFile(NODE_BUNDLE);
  const dir = await Deno.makeTempDir({ prefix: "kstatus-node-" });
  try {
    await Deno.copyFile(bundle, join(dir, "kstatus.mjs"));
    await Deno.copyFile(SMOKE, join(dir, "library_smoke.mjs"));
    const url = pathToFileURL(join(dir, "kstatus.mjs")).href;
    console.log(`node ${(await mustRun("node", ["--version"])).trim()}`);
    assert.equal(await mustRun("node", ["library_smoke.mjs", url], { cwd: dir }), EXPECTED);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
