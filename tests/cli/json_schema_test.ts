// The JSON contract: every line of `-o json`, on every exit path (0, 1, 2, 3, 4, for wait,
// status and compute), is valid against docs/output.schema.json, carries the schema version,
// and the run ends with a summary line whose exitCode is the process's.

import assert from "node:assert/strict";
import { Ajv2020 } from "../support/ajv.ts";
import { cli } from "../support/cli.ts";
import { connectionFromApi } from "../../lib/cli/connection.ts";
import type { KubeApi } from "../../lib/cluster/types.ts";
import { ConnectionError } from "../../lib/kube/errors.ts";
import { createMemoryCluster, type KubeObject } from "../../mod.ts";
import { deployment, job } from "./fixtures/objects.ts";

const schema = JSON.parse(
  await Deno.readTextFile(new URL("../../docs/output.schema.json", import.meta.url)),
);
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
const SERVER = "https://10.0.0.1:6443";

async function run(
  args: string[],
  objects: unknown[] = [],
  options: { down?: boolean; stdin?: string } = {},
) {
  const cluster = createMemoryCluster(objects as KubeObject[]);
  const fail = () => Promise.reject(new ConnectionError(SERVER, "refused", ""));
  const api: KubeApi = options.down
    ? { mapper: cluster.api.mapper, get: fail, list: fail }
    : cluster.api;
  return await cli(args, options.stdin ?? "", () =>
    Promise.resolve(connectionFromApi(api, {
      namespace: "default",
      server: SERVER,
      resolveKind: (t) => cluster.resolveKind(t),
    })));
}

function checkLines(label: string, r: { code: number; out: string[]; err: string[] }) {
  const why = `${label}: exit ${r.code}\n${r.out.join("\n")}\n--- stderr\n${r.err.join("\n")}`;
  assert.ok(r.out.length > 0, why);
  for (const line of r.out) {
    const value: unknown = JSON.parse(line);
    assert.ok(validate(value), `${why}\n${line}\n${JSON.stringify(validate.errors, null, 2)}`);
    assert.equal(JSON.parse(line).schemaVersion, 1);
  }
  const last = JSON.parse(r.out.at(-1)!);
  assert.equal(last.type, "summary", why);
  assert.equal(last.exitCode, r.code, why);
  return r.out.map((l) => JSON.parse(l));
}

const MANIFEST = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n";

Deno.test("-o json: every line valid against the schema, on every exit path", async () => {
  const cases: Array<[string, string[], unknown[], { down?: boolean; stdin?: string }, number]> = [
    ["wait: goal", ["wait", "deploy/web"], [deployment("web", { ready: 2 })], {}, 0],
    ["status: not ready", ["status", "deploy/web"], [deployment("web", { ready: 1 })], {}, 2],
    [
      "wait: a Job failed",
      ["wait", "job/batch", "--fail-fast", "--timeout", "5s"],
      [job("batch", "failed")],
      {},
      1,
    ],
    [
      "wait: timeout",
      ["wait", "deploy/web", "--timeout", "200ms", "--interval", "50ms"],
      [deployment("web", { ready: 1 })],
      {},
      2,
    ],
    ["wait: a namespace that does not exist", ["wait", "deploy/web", "-n", "nope"], [], {}, 3],
    ["wait: a bad flag", ["wait", "deploy/web", "--no-such-flag"], [], {}, 3],
    ["wait: a bad selector", ["wait", "-l", "a in (b", "--kinds", "deploy"], [], {}, 3],
    ["wait: nothing to wait for", ["wait", "-f", "-"], [], { stdin: "" }, 3],
    [
      "wait: the cluster is down",
      ["wait", "deploy/web", "--timeout", "200ms", "--interval", "50ms"],
      [],
      { down: true },
      4,
    ],
    ["compute: Current", ["compute", "-f", "-"], [], {
      stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n",
    }, 0],
    ["compute: not ready", ["compute", "-f", "-"], [], { stdin: MANIFEST }, 2],
    ["compute: a file that does not exist", ["compute", "-f", "/no/such/file.yaml"], [], {}, 3],
  ];
  for (const [label, args, objects, options, code] of cases) {
    const r = await run([...args, "-o", "json"], objects, options);
    assert.equal(r.code, code, `${label}: ${r.out.join("\n")}\n${r.err.join("\n")}`);
    const lines = checkLines(label, r);
    if (code === 3 || code === 4) {
      assert.ok(lines.some((l) => l.type === "error" && l.exitCode === code), label);
      // The one clear line on stderr stays.
      assert.ok(r.err.length > 0, label);
    }
  }
});

Deno.test("compute -o json: the resource shape of status, then a summary", async () => {
  const r = await run(["compute", "-f", "-", "-o", "json"], [], { stdin: MANIFEST });
  const [line, summary] = checkLines("compute", r);
  assert.equal(line.type, "status");
  assert.equal(line.ref, "deployment.apps/shop/web");
  assert.deepEqual(line.children, []);
  assert.equal(line.file, "-");
  assert.equal(summary.result, "once");
  assert.equal(summary.message, "0 of 1 Current");
  assert.deepEqual(summary.resources.map((x: { ref: string }) => x.ref), [
    "deployment.apps/shop/web",
  ]);
});

Deno.test("the schema rejects what it must (the validator is not a no-op)", () => {
  assert.equal(validate({ type: "status" }), false);
  assert.equal(
    validate({ schemaVersion: 2, type: "error", timestamp: "2026-01-01T00:00:00Z", error: "x" }),
    false,
  );
  assert.equal(
    validate({ schemaVersion: 1, type: "error", timestamp: "2026-01-01T00:00:00Z", error: "x" }),
    true,
  );
});
