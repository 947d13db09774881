/**
 * `deno run` from a URL: the repository is served over HTTP on 127.0.0.1 and
 * the CLI is run from an empty directory with a fresh `DENO_DIR`, so nothing
 * can come from a checkout, a `node_modules` directory or an earlier cache:
 * modules come over HTTP, npm packages from the npm registry.
 *
 * The sources import npm packages with full `npm:name@version` specifiers
 * (lib/deps/), because Deno applies no configuration to remote modules: plain
 * `deno run -A <url>/main.ts` must work.
 */

import assert from "node:assert/strict";
import { extname, join, normalize } from "node:path";
import { MIXED_LINES, MIXED_YAML, REPO, run, VERSION } from "./helpers.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".ts": "application/typescript",
  ".mjs": "application/javascript",
  ".json": "application/json",
};

/** Serves the repository's module files; records every path asked for and every miss. */
function serveRepo() {
  const requested: string[] = [];
  const missed: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname));
    requested.push(path);
    const type = CONTENT_TYPES[extname(path)];
    if (req.method !== "GET" || path.includes("..") || !type) {
      missed.push(path);
      return new Response("not served", { status: 404 });
    }
    try {
      return new Response(await Deno.readFile(join(REPO, path)), {
        headers: { "content-type": type },
      });
    } catch {
      missed.push(path);
      return new Response("not found", { status: 404 });
    }
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, requested, missed, server };
}

/** Runs `deno ARGS` in a fresh empty directory with a fresh DENO_DIR. */
async function denoFromNowhere(args: string[], stdin?: string) {
  const cwd = await Deno.makeTempDir({ prefix: "kstatus-url-" });
  try {
    const r = await run(Deno.execPath(), args, {
      cwd,
      stdin,
      env: { DENO_DIR: join(cwd, ".deno"), NO_COLOR: "1" },
    });
    const leftovers = [...Deno.readDirSync(cwd)].map((e) => e.name).filter((n) => n !== ".deno");
    return { ...r, leftovers };
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

Deno.test("deno run <url>/main.ts: version, compute, no file reads", async () => {
  const served = serveRepo();
  try {
    const { url } = served;
    const version = await denoFromNowhere([
      "run",
      "-A",
      "--no-lock",
      `${url}/main.ts`,
      "version",
    ]);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, new RegExp(`^kstatus ${VERSION.replaceAll(".", "\\.")} \\(deno `));
    assert.deepEqual(version.leftovers, [], "no node_modules or other files in the directory");

    // No --allow-read: any read of a file outside the module graph (a template, a version
    // file) fails with NotCapable. stdin is not a file permission; env is for the yaml package.
    const compute = await denoFromNowhere(
      [
        "run",
        "--no-prompt",
        "--allow-env",
        "--no-lock",
        `${url}/main.ts`,
        "compute",
        "-f",
        "-",
      ],
      MIXED_YAML,
    );
    assert.deepEqual(
      { code: compute.code, lines: compute.stdout.trimEnd().split("\n") },
      { code: 2, lines: MIXED_LINES },
      compute.stderr,
    );
    assert.deepEqual(compute.leftovers, []);

    assert.deepEqual(served.missed, [], "every module asked for was served");
    const notModules = served.requested.filter((p) => !p.endsWith(".ts") && p !== "/deno.json");
    assert.deepEqual(notModules, [], "only modules and deno.json (the version) were fetched");
  } finally {
    await served.server.shutdown();
  }
});
