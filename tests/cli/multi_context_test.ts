// Several contexts in one run (`--context a --context b`, `--all-contexts`), in-process against
// in-memory clusters: one per context, plus contexts whose cluster cannot be reached.

import assert from "node:assert/strict";
import { runCli } from "../../main.ts";
import { connectionFromApi } from "../../lib/cli/connection.ts";
import { worstExitCode } from "../../lib/cli/multi_context.ts";
import { ConnectionError } from "../../lib/kube/errors.ts";
import { createMemoryCluster, type KubeObject, type MemoryCluster } from "../../mod.ts";
import { deployment, job } from "./fixtures/objects.ts";

interface Run {
  code: number;
  out: string[];
  err: string[];
  text: string;
}

/**
 * Runs the CLI where each context is an in-memory cluster of `clusters`; a context named
 * `dead*` (or one not in `clusters`) cannot be reached.
 */
async function run(
  clusters: Record<string, MemoryCluster>,
  args: string[],
  extra: { stdin?: string; interrupt?: AbortSignal; listed?: string[]; terminal?: boolean } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  let stdinReads = 0;
  const code = await runCli([...args, "--interval", "20ms"], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { NO_COLOR: "1" },
    isTerminal: extra.terminal ?? false,
    columns: 120,
    rows: 40,
    interrupt: extra.interrupt,
    readStdin: () => {
      stdinReads++;
      return Promise.resolve(extra.stdin ?? "");
    },
    listContexts: () => Promise.resolve(extra.listed ?? Object.keys(clusters)),
    connect: (flags) => {
      const cluster = clusters[flags.context ?? ""];
      if (!cluster) {
        return Promise.reject(
          new ConnectionError(`https://${flags.context}.invalid`, "refused", ""),
        );
      }
      return Promise.resolve(connectionFromApi(cluster.api, {
        namespace: "default",
        server: `memory-${flags.context}`,
        resolveKind: (t) => cluster.resolveKind(t),
      }));
    },
  });
  assert.ok(stdinReads <= 1, `stdin read ${stdinReads} times`);
  return { code, out, err, text: [...out, ...err].join("\n") };
}

/** `--context a --context b ...`. */
const contexts = (...names: string[]) => names.flatMap((n) => ["--context", n]);

/** The namespace the objects live in: a target not found is waited for only in one that exists. */
const DEFAULT_NS: KubeObject = {
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "default" },
};
const ready = () =>
  createMemoryCluster([DEFAULT_NS, deployment("web", { ready: 2 }) as KubeObject]);
const slow = () => createMemoryCluster([DEFAULT_NS, deployment("web", { ready: 1 }) as KubeObject]);

Deno.test("multi: the same wait in two clusters, lines prefixed by context, one summary", async () => {
  const b = slow();
  const timer = setTimeout(() => b.put(deployment("web", { ready: 2 }) as KubeObject), 150);
  const r = await run({ a: ready(), b }, [
    "wait",
    "deploy/web",
    ...contexts("a", "b"),
  ]);
  clearTimeout(timer);
  assert.equal(r.code, 0, r.text);
  assert.ok(
    r.out.includes(
      "[a] deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    ),
    r.text,
  );
  assert.ok(
    r.out.includes("[b] deployment.apps/default/web is InProgress: Available: 1/2"),
    r.text,
  );
  assert.ok(
    r.out.includes(
      "[b] deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    ),
    r.text,
  );
  // The per-context results, in the order given, then one line for the run.
  assert.match(r.out.at(-3)!, /^\[a\] all 1 resource Current after \S+$/);
  assert.match(r.out.at(-2)!, /^\[b\] all 1 resource Current after \S+$/);
  assert.match(r.out.at(-1)!, /^2 contexts after \S+: 2 at goal \(a, b\); exit 0$/);
  assert.deepEqual(r.err, []);
});

Deno.test("multi: an unreachable cluster is exit 4 and does not stop the others", async () => {
  const a = slow();
  const timer = setTimeout(() => a.put(deployment("web", { ready: 2 }) as KubeObject), 150);
  const r = await run({ a, b: ready() }, [
    "wait",
    "deploy/web",
    ...contexts("a", "b", "dead"),
  ]);
  clearTimeout(timer);
  assert.equal(r.code, 4, r.text);
  const refused = "cannot reach the API server at https://dead.invalid: connection refused";
  assert.deepEqual(r.err, [`[dead] error: ${refused}`]);
  // a was still waiting when dead failed, and went on to its goal.
  assert.match(r.text, /^\[a\] all 1 resource Current after/m);
  assert.match(r.text, /^\[b\] all 1 resource Current after/m);
  assert.ok(r.out.includes(`[dead] error: ${refused}`), r.text);
  assert.match(
    r.out.at(-1)!,
    /^3 contexts after \S+: 2 at goal \(a, b\), 1 unreachable or refusing \(dead\); exit 4$/,
  );
});

Deno.test("multi: --fail-fast stops the other clusters on the first failure", async () => {
  const started = performance.now();
  const r = await run(
    { a: slow(), b: createMemoryCluster([DEFAULT_NS, job("migrate", "failed") as KubeObject]) },
    ["wait", "deploy/web", "job/migrate", ...contexts("a", "b"), "--fail-fast"],
  );
  assert.ok(performance.now() - started < 20_000);
  // b's job is not in a, nor a's deployment in b: each sees what it has. b fails at once.
  assert.equal(r.code, 1, r.text);
  assert.match(
    r.text,
    /^\[a\] stopped by --fail-fast \(b failed\) after \S+: \d of 2 not Current$/m,
  );
  assert.doesNotMatch(r.text, /interrupted/);
  assert.match(r.out.at(-1)!, /^2 contexts after \S+: 1 stopped \(a\), 1 Failed \(b\); exit 1$/);
});

Deno.test("multi: without --fail-fast an unreachable cluster waits for the others to finish", async () => {
  const r = await run({ a: slow() }, [
    "wait",
    "deploy/web",
    ...contexts("a", "dead"),
    "--timeout",
    "300ms",
  ]);
  // a timed out (2), dead is unreachable (4): the worst wins.
  assert.equal(r.code, 4, r.text);
  assert.match(r.text, /^\[a\] timed out after \S+: 1 of 1 not Current$/m);
  assert.match(r.out.at(-1)!, /1 timed out \(a\), 1 unreachable or refusing \(dead\); exit 4$/);
});

Deno.test("multi: --fail-fast with an unreachable cluster stops the others", async () => {
  const r = await run({ a: slow() }, [
    "wait",
    "deploy/web",
    ...contexts("a", "dead"),
    "--fail-fast",
  ]);
  assert.equal(r.code, 4, r.text);
  assert.match(r.text, /^\[a\] stopped by --fail-fast \(dead failed\)/m);
});

Deno.test("multi: -o json lines carry the context, one summary lists every context", async () => {
  const r = await run({ a: ready(), b: slow() }, [
    "wait",
    "deploy/web",
    ...contexts("a", "b", "dead"),
    "--timeout",
    "300ms",
    "-o",
    "json",
  ]);
  assert.equal(r.code, 4, r.text);
  const lines = r.out.map((l) => JSON.parse(l));
  assert.ok(lines.every((l) => typeof l.context === "string" || l.type === "summary"), r.text);
  assert.equal(lines.filter((l) => l.type === "summary").length, 1);
  assert.deepEqual(Object.keys(lines[0]).slice(0, 2), ["type", "context"]);
  const error = lines.find((l) => l.type === "error");
  assert.equal(error.context, "dead");
  assert.match(error.error, /connection refused/);
  const summary = lines.at(-1);
  assert.equal(summary.type, "summary");
  assert.equal(summary.exitCode, 4);
  assert.equal(summary.result, "error");
  assert.deepEqual(
    summary.contexts.map((c: { context: string; result: string; exitCode: number }) => [
      c.context,
      c.result,
      c.exitCode,
    ]),
    [["a", "goal", 0], ["b", "timeout", 2], ["dead", "error", 4]],
  );
  assert.deepEqual(
    summary.resources.map((r: { context: string; status: string }) => [r.context, r.status]),
    [["a", "Current"], ["b", "InProgress"]],
  );
});

Deno.test("multi: -o table groups the tables by context", async () => {
  const r = await run({ a: ready(), b: slow() }, [
    "wait",
    "deploy/web",
    ...contexts("a", "b"),
    "--timeout",
    "200ms",
    "-o",
    "table",
  ]);
  assert.equal(r.code, 2, r.text);
  const a = r.out.indexOf("CONTEXT a");
  const b = r.out.indexOf("CONTEXT b");
  assert.ok(a === 0 && b > a, r.text);
  assert.match(r.out[a + 1], /^(NAMESPACE\s+)?RESOURCE\s+STATUS/);
  assert.match(r.out.slice(a, b).join("\n"), /Deployment\/web\s+Current/);
  assert.match(r.out.slice(b).join("\n"), /Deployment\/web\s+InProgress/);
  assert.match(r.out.slice(b).join("\n"), /timed out after \S+: 1 of 1 not Current/);
  assert.match(r.out.at(-1)!, /1 at goal \(a\), 1 timed out \(b\); exit 2$/);
});

Deno.test("multi: --all-contexts runs in every context of the kubeconfig", async () => {
  const r = await run({ a: ready(), b: ready() }, ["status", "deploy/web", "--all-contexts"], {
    listed: ["a", "b", "dead"],
  });
  assert.equal(r.code, 4, r.text);
  assert.match(r.out.at(-1)!, /^3 contexts after \S+: 2 all Current \(a, b\), 1 unreachable/);
});

Deno.test("multi: --all-contexts with --context, or with no contexts, is bad input", async () => {
  const both = await run({ a: ready() }, [
    "wait",
    "deploy/web",
    "--all-contexts",
    ...contexts("a"),
  ]);
  assert.equal(both.code, 3);
  assert.deepEqual(both.err, ["error: --all-contexts and --context exclude each other"]);
  const none = await run({}, ["wait", "deploy/web", "--all-contexts"], { listed: [] });
  assert.equal(none.code, 3);
  assert.match(none.text, /the kubeconfig has no contexts/);
});

Deno.test("multi: manifests from stdin are read once and waited on in each context", async () => {
  const manifest = JSON.stringify(deployment("web", { ready: 2 }));
  const r = await run({ a: ready(), b: ready() }, [
    "wait",
    "-f",
    "-",
    ...contexts("a", "b"),
  ], { stdin: manifest });
  assert.equal(r.code, 0, r.text);
  assert.match(r.out.at(-1)!, /2 at goal \(a, b\); exit 0$/);
});

Deno.test("multi: one context, or the same one twice, is the single-context output", async () => {
  const r = await run({ a: ready() }, ["wait", "deploy/web", ...contexts("a"), "--context", "a"]);
  assert.equal(r.code, 0, r.text);
  assert.match(r.out[0], /^deployment\.apps\/default\/web is Current/);
  assert.match(r.out.at(-1)!, /^all 1 resource Current after/);
});

Deno.test("multi: a signal interrupts every context (130), none is called stopped", async () => {
  const interrupt = new AbortController();
  const timer = setTimeout(() => interrupt.abort("SIGINT"), 150);
  const r = await run({ a: slow(), b: slow() }, [
    "wait",
    "deploy/web",
    ...contexts("a", "b"),
    "--fail-fast",
  ], { interrupt: interrupt.signal });
  clearTimeout(timer);
  assert.equal(r.code, 130, r.text);
  assert.match(r.text, /^\[a\] interrupted \(SIGINT\)/m);
  assert.match(r.text, /^\[b\] interrupted \(SIGINT\)/m);
  assert.match(r.out.at(-1)!, /2 interrupted \(a, b\); exit 130$/);
});

Deno.test("multi: on a terminal one live board shows every context, stderr waits for the end", async () => {
  const a = slow();
  const timer = setTimeout(() => a.put(deployment("web", { ready: 2 }) as KubeObject), 150);
  const r = await run({ a }, ["wait", "deploy/web", ...contexts("a", "dead")], { terminal: true });
  clearTimeout(timer);
  assert.equal(r.code, 4, r.text);
  // Plain text of what was drawn (cursor moves and line erasures removed).
  // deno-lint-ignore no-control-regex
  const drawn = r.out.map((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]|\r/g, ""));
  // While waiting: a's header and table, dead's error in its place.
  assert.ok(drawn.some((l) => l.startsWith("CONTEXT a  0/1 Current  (")), drawn.join("\n"));
  assert.ok(drawn.some((l) => l.startsWith("CONTEXT dead  error: cannot reach")), drawn.join("\n"));
  // The last block: each context's table and summary, grouped, then the run's line.
  const last = drawn.lastIndexOf("CONTEXT a");
  assert.ok(last >= 0, drawn.join("\n"));
  assert.match(drawn[last + 1], /^(NAMESPACE\s+)?RESOURCE/);
  assert.match(drawn.slice(last).join("\n"), /^all 1 resource Current after/m);
  assert.match(drawn.slice(last).join("\n"), /^CONTEXT dead\nerror: cannot reach/m);
  assert.match(drawn.at(-1)!, /1 at goal \(a\), 1 unreachable or refusing \(dead\); exit 4$/);
  assert.deepEqual(r.err, [
    "[dead] error: cannot reach the API server at https://dead.invalid: connection refused",
  ]);
});

Deno.test("worstExitCode: interrupted > 4 > 3 > 1 > 2 > 0", () => {
  assert.equal(worstExitCode([]), 0);
  assert.equal(worstExitCode([0, 2, 1]), 1);
  assert.equal(worstExitCode([2, 0]), 2);
  assert.equal(worstExitCode([1, 3]), 3);
  assert.equal(worstExitCode([3, 4, 1]), 4);
  assert.equal(worstExitCode([4, 130]), 130);
  assert.equal(worstExitCode([130, 143]), 143);
});
