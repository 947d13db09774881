// computeStatus and augmentStatus against the Go original: the same objects (a seeded generated
// corpus, see corpus.ts, plus every object of the contract cases in tests/compute_cases.ts) go
// through cli-utils' status.Compute / status.Augment (the peer's compute and augment modes,
// scripts/bench/peer/compute.go) and through ours. Every status, message and condition must
// match, and an object the original refuses (a compute error) must be refused here too.
//
// Needs the peer binary: `bash scripts/cluster/build.sh peer` (which `deno task parity` runs
// first) builds it into $KSTATUS_CLUSTER_BIN (default ~/.cache/kstatus-cluster/<k8s>/bin).
// Without it the tests fail when CI=true and are skipped, saying so, otherwise.

import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { augmentStatus, computeStatus, type KubeObject } from "../../mod.ts";
import { cases } from "../compute_cases.ts";
import { generateCorpus } from "./corpus.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SEED = Number(Deno.env.get("KSTATUS_PARITY_SEED") ?? 20261125);
const COUNT = Number(Deno.env.get("KSTATUS_PARITY_COUNT") ?? 20000);
const SHOW = Number(Deno.env.get("KSTATUS_PARITY_SHOW") ?? 20);

/** Where build.sh puts the peer: $KSTATUS_CLUSTER_BIN, else the cache dir of the pinned k8s. */
function peerPath(): string {
  const fromEnv = Deno.env.get("KSTATUS_PEER");
  if (fromEnv) return fromEnv;
  const binDir = Deno.env.get("KSTATUS_CLUSTER_BIN");
  if (binDir) return join(binDir, "kstatus-peer");
  const versions = readFileSync(join(root, "scripts/cluster/versions.env"), "utf8");
  const version = /^K8S_VERSION=(\S+)$/m.exec(versions)?.[1];
  const cache = Deno.env.get("KSTATUS_CLUSTER_CACHE") ?? join(homedir(), ".cache/kstatus-cluster");
  return join(cache, version ?? "unknown", "bin", "kstatus-peer");
}

const PEER = peerPath();
const CI = /^(true|1|yes)$/i.test(Deno.env.get("CI") ?? "");

/** Null when the peer can run; otherwise why not (a failure in CI, a loud skip elsewhere). */
function missingPeer(): string | null {
  if (existsSync(PEER) && statSync(PEER).isFile()) return null;
  const why = `${PEER} is missing: build it with \`bash scripts/cluster/build.sh peer\` ` +
    "(deno task parity does; needs Go)";
  if (CI) throw new Error(`parity cannot run in CI: ${why}`);
  console.log(`SKIPPED parity: ${why}`);
  return why;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** One answer of either side: a result, an augmented object, or an error. */
interface Verdict {
  status?: string;
  message?: string;
  conditions?: Condition[];
  object?: unknown;
  error?: string;
}

/**
 * Runs the Go original over `objects` in `mode`, one verdict per object. `asArray` sends one JSON
 * array instead of one object per line (the peer reads both).
 */
async function goVerdicts(
  mode: "compute" | "augment",
  objects: unknown[],
  asArray = false,
): Promise<Verdict[]> {
  const child = new Deno.Command(PEER, {
    args: [mode],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const text = asArray
    ? JSON.stringify(objects)
    : objects.map((o) => JSON.stringify(o)).join("\n") + "\n";
  // Written while the output is read: both pipes are bounded, so one after the other would block.
  const writing = (async () => {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  })();
  const [out] = await Promise.all([child.output(), writing]);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `kstatus-peer ${mode} failed (exit ${out.code}): ${stderr}`);
  const lines = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
  assert.equal(lines.length, objects.length, `kstatus-peer ${mode}: one line per object`);
  return lines.map((l) => JSON.parse(l));
}

function ourCompute(obj: KubeObject, now: Date): Verdict {
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

function ourAugment(obj: KubeObject, now: Date): Verdict {
  try {
    // Through JSON, as the peer's answer came: the same numbers, no undefined members.
    return { object: JSON.parse(JSON.stringify(augmentStatus(obj, { now }))) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** JSON with object keys sorted, so two equal values print the same. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

/** The comparable part of a compute verdict: status, message and conditions, or "an error". */
function computeShape(v: Verdict): string {
  if (v.error !== undefined) return "error";
  return canonical({ status: v.status, message: v.message, conditions: v.conditions ?? [] });
}

/**
 * The comparable part of an augment verdict: the object with the timestamps Augment wrote (any
 * `lastTransitionTime`/`lastUpdateTime` inside [from, to]) replaced by `<now>`, or "an error".
 * The corpus' own timestamps are years old, so only the written ones are replaced.
 */
function augmentShape(v: Verdict, from: number, to: number): string {
  if (v.error !== undefined) return "error";
  return canonical(JSON.parse(JSON.stringify(v.object), (key, value) => {
    if ((key === "lastTransitionTime" || key === "lastUpdateTime") && typeof value === "string") {
      const t = Date.parse(value);
      if (t >= from - 2000 && t <= to + 2000) return "<now>";
    }
    return value;
  }));
}

/**
 * True when upstream's Job rule for suspended jobs decides `obj`. The contract (the spec,
 * upstream cli-utils at 5895ad6, 2025-10-21) has `Suspended=True` with `spec.suspend: true` give
 * Current `Job is suspended`; the newest cli-utils the Go module proxy serves is v0.37.2
 * (2024-07-08), from before that rule (the only change to pkg/kstatus/status's behaviour since),
 * and the proxy refuses the commit itself. Decided from the object alone: a batch Job, suspend
 * exactly `true`, and in the conditions' scan a `Suspended=True` before any `Complete=True` or
 * `Failed=True`.
 */
function upstreamSuspendedRule(obj: KubeObject): boolean {
  if (obj.kind !== "Job" || typeof obj.apiVersion !== "string") return false;
  if (!/^batch\/[^/]*$/.test(obj.apiVersion)) return false;
  if ((obj.spec as { suspend?: unknown } | undefined)?.suspend !== true) return false;
  const list = (obj.status as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(list)) return false;
  for (const c of list) {
    if (typeof c !== "object" || c === null || (c as { status?: unknown }).status !== "True") {
      continue;
    }
    const type = (c as { type?: unknown }).type;
    if (type === "Complete" || type === "Failed") return false;
    if (type === "Suspended") return true;
  }
  return false;
}

/** The objects: the generated corpus, then every contract case's object. */
function corpus(now: Date): { objects: KubeObject[]; generated: number } {
  const generated = generateCorpus(SEED, COUNT, now);
  return { objects: [...generated, ...cases.map((c) => c.obj)], generated: generated.length };
}

interface Tally {
  mismatches: string[];
  newerRule: number;
  panics: number;
  errorTextsDiffer: number;
  byOutcome: Map<string, number>;
}

function compare(
  objects: KubeObject[],
  theirs: Verdict[],
  ours: (o: KubeObject) => Verdict,
  shape: (v: Verdict) => string,
): Tally {
  const t: Tally = {
    mismatches: [],
    newerRule: 0,
    panics: 0,
    errorTextsDiffer: 0,
    byOutcome: new Map(),
  };
  for (let i = 0; i < objects.length; i++) {
    const go = theirs[i];
    const mine = ours(objects[i]);
    const outcome = go.error !== undefined
      ? (go.error.startsWith("panic: ") ? "panic" : "error")
      : go.status ?? "object";
    t.byOutcome.set(outcome, (t.byOutcome.get(outcome) ?? 0) + 1);
    const same = shape(mine) === shape(go);
    if (go.error?.startsWith("panic: ")) {
      // The original crashes on it (a type assertion on a containerStatuses entry): no verdict.
      t.panics++;
    } else if (!same && upstreamSuspendedRule(objects[i])) {
      t.newerRule++;
    } else if (!same) {
      t.mismatches.push(
        `#${i} ${JSON.stringify(objects[i])}\n    go:   ${JSON.stringify(go)}\n    ours: ${
          JSON.stringify(mine)
        }`,
      );
    } else if (mine.error !== undefined && mine.error !== go.error) {
      t.errorTextsDiffer++;
    }
  }
  return t;
}

function report(what: string, objects: KubeObject[], generated: number, t: Tally): void {
  console.log(
    `parity ${what}: ${objects.length} objects (${generated} generated from seed ${SEED}, ` +
      `${objects.length - generated} from the contract cases), Go outcomes ${
        JSON.stringify(Object.fromEntries(t.byOutcome))
      }; ${t.mismatches.length} mismatches; ${t.newerRule} suspended Jobs (a rule newer than ` +
      `the peer's cli-utils v0.37.2); ${t.panics} the original panics on; ${t.errorTextsDiffer} ` +
      "errors worded differently",
  );
  assert.equal(
    t.mismatches.length,
    0,
    `${what}: ${t.mismatches.length} objects differ from the Go original; the first ${
      Math.min(SHOW, t.mismatches.length)
    }:\n${t.mismatches.slice(0, SHOW).join("\n")}`,
  );
}

Deno.test("parity: computeStatus gives the Go original's verdict on every object", async () => {
  if (missingPeer()) return;
  const now = new Date();
  const { objects, generated } = corpus(now);
  const theirs = await goVerdicts("compute", objects);
  const t = compare(objects, theirs, (o) => ourCompute(o, now), computeShape);
  // The corpus must reach every outcome, or it proves little.
  for (const s of ["InProgress", "Failed", "Current", "Terminating", "error"]) {
    assert.ok((t.byOutcome.get(s) ?? 0) > 0, `the corpus produced no ${s}`);
  }
  report("compute", objects, generated, t);
});

Deno.test("parity: augmentStatus writes what the Go original's Augment writes", async () => {
  if (missingPeer()) return;
  const now = new Date();
  const { objects, generated } = corpus(now);
  const from = Date.now();
  const theirs = await goVerdicts("augment", objects);
  const to = Date.now();
  const t = compare(
    objects,
    theirs,
    (o) => ourAugment(o, now),
    (v) => augmentShape(v, Math.min(from, now.getTime()), to),
  );
  assert.ok((t.byOutcome.get("object") ?? 0) > 0, "the corpus produced no augmented object");
  assert.ok((t.byOutcome.get("error") ?? 0) > 0, "the corpus produced no augment error");
  report("augment", objects, generated, t);
});

Deno.test("parity: the peer reads a JSON array as well as one object per line", async () => {
  if (missingPeer()) return;
  const objects: unknown[] = [...cases.slice(0, 40).map((c) => c.obj), 5, "x"];
  const asLines = await goVerdicts("compute", objects);
  const asArray = await goVerdicts("compute", objects, true);
  assert.deepStrictEqual(asArray, asLines);
  assert.ok(asLines.at(-1)!.error, "a value that is not an object gets an error line");
});
