// computeStatus against the Go original: the same generated objects go through cli-utils'
// status.Compute (the peer's compute mode, scripts/bench/peer/compute.go) and through ours, and
// every status, message and condition must match; an object the original refuses (a compute
// error) must be refused here too. Needs the peer binary built by `deno task cluster:build`.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { computeStatus, type KubeObject } from "../../mod.ts";
import { generateCorpus } from "./corpus.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SEED = Number(Deno.env.get("KSTATUS_PARITY_SEED") ?? 20261125);
const COUNT = Number(Deno.env.get("KSTATUS_PARITY_COUNT") ?? 20000);

/** Where build.sh puts the peer: $KSTATUS_CLUSTER_CACHE/<k8s version>/bin/kstatus-peer. */
function peerPath(): string {
  const fromEnv = Deno.env.get("KSTATUS_PEER");
  if (fromEnv) return fromEnv;
  const versions = readFileSync(join(root, "scripts/cluster/versions.env"), "utf8");
  const version = /^K8S_VERSION=(\S+)$/m.exec(versions)?.[1];
  const cache = Deno.env.get("KSTATUS_CLUSTER_CACHE") ?? join(homedir(), ".cache/kstatus-cluster");
  return join(cache, version ?? "unknown", "bin", "kstatus-peer");
}

interface Verdict {
  status?: string;
  message?: string;
  conditions?: Array<{ type: string; status: string; reason: string; message: string }>;
  error?: string;
}

/** Runs the Go original over `objects`, one verdict per object. */
async function goVerdicts(peer: string, objects: KubeObject[]): Promise<Verdict[]> {
  const child = new Deno.Command(peer, {
    args: ["compute"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Written while the output is read: both pipes are bounded, so one after the other would block.
  const input = new TextEncoder().encode(objects.map((o) => JSON.stringify(o)).join("\n") + "\n");
  const writing = (async () => {
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
  })();
  const [out] = await Promise.all([child.output(), writing]);
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, `kstatus-peer compute failed: ${new TextDecoder().decode(out.stderr)}`);
  return stdout.trim().split("\n").map((l) => JSON.parse(l));
}

function ours(obj: KubeObject, now: Date): Verdict {
  try {
    const r = computeStatus(obj, { now });
    return {
      status: r.status,
      message: r.message,
      conditions: r.conditions.map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason ?? "",
        message: c.message ?? "",
      })),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * A difference the peer cannot avoid: the contract (the spec, upstream at 5895ad6, 2025-10-21)
 * reports a suspended Job as `Job is suspended`; the newest cli-utils the Go module proxy serves
 * is v0.37.2 (2024-07-08), from before that rule, and the proxy refuses the commit itself.
 */
function suspendedJob(obj: KubeObject, mine: Verdict): boolean {
  const spec = obj.spec as { suspend?: unknown } | undefined;
  return obj.apiVersion === "batch/v1" && obj.kind === "Job" && spec?.suspend === true &&
    mine.message === "Job is suspended";
}

/** The comparable part: status, message and conditions, or just "an error". */
function shape(v: Verdict): string {
  if (v.error !== undefined) return "error";
  return JSON.stringify({ status: v.status, message: v.message, conditions: v.conditions ?? [] });
}

Deno.test("parity: computeStatus gives the Go original's verdict on every generated object", async () => {
  const peer = peerPath();
  if (!existsSync(peer)) {
    const why = `${peer} is missing: run deno task cluster:build first`;
    // In CI the peer is built before this runs: missing means broken, never a silent pass.
    if (Deno.env.get("CI")) throw new Error(why);
    console.log(`SKIPPED parity: ${why}`);
    return;
  }
  const objects = generateCorpus(SEED, COUNT);
  const theirs = await goVerdicts(peer, objects);
  assert.equal(theirs.length, objects.length, "the peer answered a different number of lines");
  const now = new Date();
  const mismatches: string[] = [];
  const byStatus = new Map<string, number>();
  let errorTextsDiffer = 0;
  let newerRule = 0;
  let panics = 0;
  for (let i = 0; i < objects.length; i++) {
    const mine = ours(objects[i], now);
    const go = theirs[i];
    const key = go.error !== undefined ? "error" : go.status!;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    if (go.error?.startsWith("panic: ")) {
      // The original crashes on it (a null containerStatuses entry): no verdict to compare.
      panics++;
    } else if (shape(mine) !== shape(go) && suspendedJob(objects[i], mine)) {
      newerRule++;
    } else if (shape(mine) !== shape(go)) {
      mismatches.push(
        `${JSON.stringify(objects[i])}\n    go:   ${JSON.stringify(go)}\n    ours: ${
          JSON.stringify(mine)
        }`,
      );
    } else if (mine.error !== undefined && mine.error !== go.error) {
      errorTextsDiffer++;
    }
  }
  console.log(
    `parity: ${objects.length} objects (seed ${SEED}), Go verdicts ${
      JSON.stringify(Object.fromEntries(byStatus))
    }, ${mismatches.length} mismatches; ${newerRule} suspended Jobs (a rule newer than the peer's ` +
      `v0.37.2); ${panics} the original panics on; ${errorTextsDiffer} errors worded differently ` +
      `(ours name the field)`,
  );
  // The corpus must reach every outcome, or it proves little.
  for (const s of ["InProgress", "Failed", "Current", "Terminating", "error"]) {
    assert.ok((byStatus.get(s) ?? 0) > 0, `the corpus produced no ${s}`);
  }
  assert.equal(
    mismatches.length,
    0,
    `${mismatches.length} objects differ; the first ones:\n${mismatches.slice(0, 20).join("\n")}`,
  );
});
