/**
 * Tests of `kstatus compute` (offline status of manifests) and `kstatus version`: in-process
 * through `runCli`, as a `deno run` subprocess, and through the compiled binary `dist/kstatus`.
 */

import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import denoJson from "../deno.json" with { type: "json" };
import { cli } from "./support/cli.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MAIN = join(ROOT, "main.ts");
const BINARY = join(ROOT, "dist", "kstatus");
const FIXTURES = join(ROOT, "tests", "fixtures", "manifests");

// Objects with a known status each.
const CONFIG_MAP =
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n";
const NAMESPACE =
  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\nstatus:\n  phase: Active\n";
const pod = (name: string, status: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nstatus:\n${status}`;
const READY_POD = pod(
  "web-1",
  "  phase: Running\n  conditions:\n  - {type: Ready, status: 'True'}\n",
);
const UNREADY_POD = pod(
  "web-2",
  "  phase: Running\n  conditions:\n  - {type: Ready, status: 'False', reason: ContainersNotReady}\n",
);
const LOST_POD = pod("ghost", "  phase: Lost\n");
const FAILED_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  generation: 1
status:
  conditions:
  - type: Failed
    status: "True"
    reason: BackoffLimitExceeded
`;
const stream = (...docs: string[]) => docs.join("---\n");

const explain = (r: { code: number; out: unknown; err: unknown }) =>
  `exit ${r.code}\nstdout: ${JSON.stringify(r.out)}\nstderr: ${JSON.stringify(r.err)}`;

Deno.test("compute: every object Current is exit 0, columns aligned", opts, async () => {
  const r = await cli(["compute", "-f", "-"], stream(CONFIG_MAP, NAMESPACE, READY_POD));
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.err, []);
  assert.deepEqual(r.out, [
    "configmap/shop/settings  Current  Resource is always ready",
    "namespace/shop           Current  Resource is current",
    "pod/shop/web-1           Current  Pod is Ready",
  ]);
});

Deno.test("compute: no objects at all is exit 0 with a note on stderr", opts, async () => {
  const r = await cli(["compute", "-f", "-"], "# nothing here\n---\n");
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.out, []);
  assert.deepEqual(r.err, ["no objects found in -"]);
});

Deno.test("compute: a Failed object is exit 1, whatever the others are", opts, async () => {
  const r = await cli(["compute", "-f", "-"], stream(UNREADY_POD, FAILED_JOB, CONFIG_MAP));
  assert.equal(r.code, 1, explain(r));
  assert.deepEqual(r.err, []);
  assert.deepEqual(r.out, [
    "pod/shop/web-2           InProgress  Pod is running but is not Ready",
    "job.batch/shop/migrate   Failed      Job Failed. failed: 0/1",
    "configmap/shop/settings  Current     Resource is always ready",
  ]);
});

Deno.test("compute: some object not Current and none Failed is exit 2", opts, async () => {
  const r = await cli(["compute", "-f", "-"], stream(READY_POD, UNREADY_POD));
  assert.equal(r.code, 2, explain(r));
  assert.deepEqual(r.out, [
    "pod/shop/web-1  Current     Pod is Ready",
    "pod/shop/web-2  InProgress  Pod is running but is not Ready",
  ]);
});

Deno.test(
  "compute: an object whose status cannot be computed is Unknown with why, exit 2",
  opts,
  async () => {
    const text = await cli(["compute", "-f", "-"], stream(LOST_POD, READY_POD));
    assert.equal(text.code, 2, explain(text));
    assert.deepEqual(text.err, []);
    assert.deepEqual(text.out, [
      "pod/shop/ghost  Unknown  unknown phase Lost",
      "pod/shop/web-1  Current  Pod is Ready",
    ]);

    const json = await cli(["compute", "-f", "-", "-o", "json"], LOST_POD);
    assert.equal(json.code, 2, explain(json));
    const { timestamp, ...line } = JSON.parse(json.out[0]);
    assert.match(timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(line, {
      schemaVersion: 1,
      type: "status",
      ref: "pod/shop/ghost",
      group: "",
      kind: "Pod",
      namespace: "shop",
      name: "ghost",
      status: "Unknown",
      message: "unknown phase Lost",
      conditions: [],
      rule: "contract:Pod",
      error: "unknown phase Lost",
      children: [],
      file: "-",
      line: 1,
    });
  },
);

Deno.test(
  "compute -o json: one parsable object per line, with where each came from",
  opts,
  async () => {
    const r = await cli([
      "compute",
      "-o",
      "json",
      "-f",
      join(FIXTURES, "deployment-list.json"),
      "-f",
      "-",
    ], stream(CONFIG_MAP, UNREADY_POD));
    assert.equal(r.code, 2, explain(r));
    assert.deepEqual(r.err, []);
    // A status line per object, in the shape of `status -o json`, then the summary.
    assert.equal(r.out.length, 5);
    const objs = r.out.slice(0, 4).map((line) => JSON.parse(line));
    for (const o of objs) {
      assert.deepEqual(Object.keys(o), [
        "schemaVersion",
        "type",
        "timestamp",
        "ref",
        "group",
        "kind",
        "namespace",
        "name",
        "status",
        "message",
        "rule",
        "children",
        "conditions",
        "file",
        "line",
      ]);
    }
    const summary = JSON.parse(r.out[4]);
    assert.equal(summary.type, "summary");
    assert.equal(summary.message, "2 of 4 Current");
    const file = join(FIXTURES, "deployment-list.json");
    assert.deepEqual(
      objs.map((o) => [o.group, o.kind, o.namespace, o.name, o.status, o.file, o.line]),
      [
        ["apps", "Deployment", "shop", "web", "Current", file, 6],
        ["apps", "Deployment", "shop", "api", "InProgress", file, 21],
        ["", "ConfigMap", "shop", "settings", "Current", "-", 1],
        ["", "Pod", "shop", "web-2", "InProgress", "-", 7],
      ],
    );
    assert.equal(objs[1].message, "Updated: 1/3");
    assert.deepEqual(objs[3].conditions, [{
      type: "Reconciling",
      status: "True",
      reason: "PodRunningNotReady",
      message: "Pod is running but is not Ready",
    }]);
  },
);

Deno.test("compute: files and directories (-R) in the order given", opts, async () => {
  const r = await cli([
    "compute",
    "-f",
    join(FIXTURES, "tree"),
    "-R",
    "-f",
    join(FIXTURES, "multi.yaml"),
  ]);
  assert.equal(r.code, 2, explain(r));
  assert.deepEqual(r.out.map((l) => l.split(/\s+/)[0]), [
    "configmap/a",
    "configmap/b",
    "configmap/c",
    "configmap/d",
    "configmap/e",
    "configmap/default/first",
    "deployment.apps/default/second",
  ]);
});

Deno.test(
  "compute: bad input is exit 3 with one clear line and nothing on stdout",
  opts,
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "kstatus-compute-"));
    try {
      const missing = join(dir, "missing.yaml");
      const cases: Array<[string, string[], string | undefined, string]> = [
        [
          "missing file",
          ["-f", missing],
          undefined,
          `error: ${missing}: cannot read: no such file or directory`,
        ],
        [
          "malformed YAML after a good document",
          ["-f", "-"],
          CONFIG_MAP + "---\napiVersion: v1\nkind: Secret\nmetadata:\n\tname: x\n",
          "error: -:10: malformed YAML: Tabs are not allowed as indentation",
        ],
        [
          "a list document",
          ["-f", "-"],
          "- a\n- b\n",
          "error: -:1: expected a Kubernetes object (a mapping), got a list",
        ],
        [
          "no kind",
          ["-f", "-"],
          "apiVersion: v1\nmetadata: {name: a}\n",
          "error: -:1: object has no kind",
        ],
        [
          "a good file, then a missing one",
          ["-f", join(FIXTURES, "object.json"), "-f", missing],
          undefined,
          `error: ${missing}: cannot read: no such file or directory`,
        ],
        ["no -f", [], undefined, "error: compute needs at least one -f FILE|DIR|-"],
      ];
      for (const [name, args, stdin, message] of cases) {
        await t.step(name, async () => {
          const r = await cli(["compute", ...args], stdin);
          assert.equal(r.code, 3, explain(r));
          assert.deepEqual(r.out, []);
          assert.deepEqual(r.err, [message]);
        });
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  },
);

Deno.test("compute: usage errors are exit 3, --help is exit 0", opts, async () => {
  const unknown = await cli(["compute", "--bogus", "-f", "-"], CONFIG_MAP);
  assert.equal(unknown.code, 3, explain(unknown));
  assert.deepEqual(unknown.out, []);
  assert.equal(unknown.err[0], "error: unknown option '--bogus'");

  const format = await cli(["compute", "-o", "yaml", "-f", "-"], CONFIG_MAP);
  assert.equal(format.code, 3, explain(format));
  assert.match(format.err[0], /argument 'yaml' is invalid\. Allowed choices are text, json/);

  const extra = await cli(["compute", "-f", "-", "deploy/web"], CONFIG_MAP);
  assert.equal(extra.code, 3, explain(extra));
  assert.match(extra.err[0], /too many arguments/);

  const help = await cli(["compute", "--help"]);
  assert.equal(help.code, 0, explain(help));
  assert.deepEqual(help.err, []);
  const usage = help.out.join("\n");
  assert.match(usage, /^Usage: kstatus compute \[options\]/);
  assert.match(usage, /-f, --filename <path>/);
  assert.match(usage, /Exit codes: 0 all Current, 1 any Failed, 2 some not Current, 3 bad input/);
});

Deno.test("version: kstatus <version> (<runtime>)", opts, async () => {
  const r = await cli(["version"]);
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.out, [`kstatus ${denoJson.version} (deno ${Deno.version.deno})`]);
});

// --- Subprocesses ---------------------------------------------------------------------------

interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, feeding `stdin` (closed after) when given. */
async function runProcess(cmd: string, args: string[], stdin?: string): Promise<ProcessResult> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

const explainProcess = (r: ProcessResult) =>
  `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

const DENO_RUN = [Deno.execPath(), ["run", "-A", "--quiet", MAIN]] as const;

/** Checks `compute -f -` with objects on stdin through a real process. */
async function checkComputeFromStdin(cmd: string, prefix: readonly string[]): Promise<void> {
  const failed = await runProcess(
    cmd,
    [...prefix, "compute", "-f", "-"],
    stream(READY_POD, FAILED_JOB),
  );
  assert.equal(failed.code, 1, explainProcess(failed));
  assert.equal(failed.stderr, "");
  assert.equal(
    failed.stdout,
    "pod/shop/web-1          Current  Pod is Ready\n" +
      "job.batch/shop/migrate  Failed   Job Failed. failed: 0/1\n",
  );

  const json = await runProcess(cmd, [...prefix, "compute", "-o", "json", "-f", "-"], CONFIG_MAP);
  assert.equal(json.code, 0, explainProcess(json));
  assert.equal(JSON.parse(json.stdout.split("\n")[0]).name, "settings");

  const bad = await runProcess(cmd, [...prefix, "compute", "-f", "-"], "kind: [unclosed\n");
  assert.equal(bad.code, 3, explainProcess(bad));
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /^error: -:\d+: malformed YAML: [^\n]+\n$/, explainProcess(bad));
}

Deno.test("subprocess: deno run main.ts compute -f - reads objects from a pipe", opts, async () => {
  await checkComputeFromStdin(...DENO_RUN);
});

/** Newest modification time of the files the binary is built from. */
async function newestSource(): Promise<number> {
  let newest = 0;
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      for (const entry of await readdir(path)) await visit(join(path, entry));
    } else if (/\.(ts|json|lock)$/.test(path)) {
      newest = Math.max(newest, info.mtimeMs);
    }
  };
  for (const p of ["main.ts", "mod.ts", "deno.json", "package.json", "bun.lock", "lib"]) {
    await visit(join(ROOT, p));
  }
  return newest;
}

let binaryReady: Promise<void> | undefined;

/**
 * Builds `dist/kstatus` with `deno task build` when it is missing or older than its sources (a
 * stale binary would test old code), once per run. Without Bun this fails: the binary is part
 * of the product, and a skipped test would hide that it cannot be built here.
 */
function ensureBinary(): Promise<void> {
  binaryReady ??= (async () => {
    const built = await stat(BINARY).then((s) => s.mtimeMs, () => undefined);
    if (built !== undefined && built >= await newestSource()) return;
    try {
      await new Deno.Command("bun", { args: ["--version"], stdout: "null", stderr: "null" })
        .output();
    } catch (e) {
      throw new Error(
        `bun is not installed (${(e as Error).message}), so dist/kstatus cannot be built: ` +
          "install it (npm install -g bun@1) and run `deno task build`",
      );
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "build"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const decoder = new TextDecoder();
      throw new Error(
        `deno task build failed (exit ${out.code}):\n${decoder.decode(out.stdout)}${
          decoder.decode(out.stderr)
        }`,
      );
    }
  })();
  return binaryReady;
}

Deno.test("binary: dist/kstatus compute -f - reads objects from a pipe", opts, async () => {
  await ensureBinary();
  await checkComputeFromStdin(BINARY, []);
});

Deno.test("binary: dist/kstatus version names the version and Bun", opts, async () => {
  await ensureBinary();
  const r = await runProcess(BINARY, ["version"]);
  assert.equal(r.code, 0, explainProcess(r));
  assert.equal(r.stderr, "");
  const bun = (await runProcess("bun", ["--version"])).stdout.trim();
  assert.equal(r.stdout, `kstatus ${denoJson.version} (bun ${bun})\n`);
});

// --- A closed pipe (`kstatus compute ... | head -1`) ----------------------------------------

/** Runs `<cmd...> | head -1` in bash; the exit code is kstatus's, stderr is kstatus's. */
function pipeToHead(command: readonly string[]): Promise<ProcessResult> {
  return runProcess("bash", ["-c", '"$@" | head -1; exit "${PIPESTATUS[0]}"', "bash", ...command]);
}

/** A manifest of `count` ConfigMaps: far more output than a pipe buffer holds. */
async function bigManifest(dir: string, count: number): Promise<string> {
  const file = join(dir, "big.yaml");
  const docs = Array.from(
    { length: count },
    (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: default\n`,
  );
  await writeFile(file, docs.join("---\n"));
  return file;
}

Deno.test("closed pipe: compute | head -1 ends cleanly (no EPIPE stack trace)", opts, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-epipe-"));
  try {
    const big = await bigManifest(dir, 5000);
    const runs: Array<[string, readonly string[]]> = [
      ["deno run main.ts, text", [
        Deno.execPath(),
        "run",
        "-A",
        "--quiet",
        MAIN,
        "compute",
        "-f",
        big,
      ]],
      ["deno run main.ts, json", [
        Deno.execPath(),
        "run",
        "-A",
        "--quiet",
        MAIN,
        "compute",
        "-o",
        "json",
        "-f",
        big,
      ]],
    ];
    for (const [name, command] of runs) {
      await t.step(name, async () => {
        const r = await pipeToHead(command);
        assert.equal(r.stderr, "", explainProcess(r));
        assert.equal(r.code, 0, explainProcess(r));
        assert.equal(r.stdout.split("\n").length, 2, explainProcess(r));
        assert.match(r.stdout, /cm-0\b/);
      });
    }
    await t.step("dist/kstatus, text", async () => {
      await ensureBinary();
      const r = await pipeToHead([BINARY, "compute", "-f", big]);
      assert.equal(r.stderr, "", explainProcess(r));
      assert.equal(r.code, 0, explainProcess(r));
      assert.equal(r.stdout, "configmap/default/cm-0     Current  Resource is always ready\n");
    });
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("compute: a signal ends it while stdin stays open, with 130 or 143", opts, async () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    const interrupt = new AbortController();
    const err: string[] = [];
    const out: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => release = resolve);
    // One document, then stdin stays open until the test ends.
    const readStdin = async function* () {
      yield new TextEncoder().encode(CONFIG_MAP + "---\n");
      await held;
    };
    setTimeout(() => interrupt.abort(signal), 50);
    const { runCli } = await import("../main.ts");
    const result = await runCli(["compute", "-o", "json", "-f", "-"], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      readStdin,
      env: {},
      isTerminal: false,
      interrupt: interrupt.signal,
    });
    release();
    assert.equal(result, code);
    assert.deepEqual(err, [`interrupted (${signal})`]);
    // The object read before the signal is printed; then, as on every exit with -o json, the
    // error and a summary.
    assert.deepEqual(
      out.map((l) => JSON.parse(l).type),
      ["status", "error", "summary"],
      out.join("\n"),
    );
    assert.equal(JSON.parse(out[2]).exitCode, code);
  }
});
