/**
 * `deno task bench:compute`: `kstatus compute -f` against the Go original on the same files, as
 * whole processes. Writes 10,000 and 100,000 objects (Deployments, Pods, Services, ConfigMaps,
 * Jobs with statuses) as a multi-document YAML stream and as one JSON `List` (what
 * `kubectl get -A -o json` prints), then runs each tool on each file: the release binary
 * (`dist/kstatus`, Bun), `deno run main.ts`, and `kstatus-peer compute-files` (cli-utils'
 * `status.Compute`, files read through apimachinery's YAML-or-JSON decoder). Prints wall time,
 * CPU seconds and peak memory (the median run of `--runs`, default 3), whether memory stayed
 * flat from 10,000 to 100,000 objects, the ratios per format, and ends with one line holding the
 * worse of the formats run for each measure:
 *
 *   ratio compute kstatus/go: wall 0.90x memory 1.5x
 *
 * `--formats list` (or `yaml,json,list`) adds the objects as one YAML `List` (what
 * `kubectl get -A -o yaml` prints), which kstatus reads item by item.
 *
 * Usage: deno task bench:compute [--runs 3] [--counts 10000,100000] [--formats yaml,json]
 *   [--kstatus dist/kstatus]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnTimed } from "./bench/gnu_time.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    counts: { type: "string", default: "10000,100000" },
    formats: { type: "string", default: "yaml,json" },
    kstatus: { type: "string", default: join(ROOT, "dist", "kstatus") },
  },
});
const runs = Number(values.runs);
const counts = values.counts.split(",").map(Number);
const FORMATS = ["yaml", "json", "list"] as const;
type Format = typeof FORMATS[number];
const formats = values.formats.split(",") as Format[];
for (const f of formats) {
  if (!FORMATS.includes(f)) throw new Error(`--formats: ${f} is not one of ${FORMATS.join(", ")}`);
}

/** One object of a mix a cluster holds, with a status each rule has to read. */
function object(i: number): Record<string, unknown> {
  const ns = `team-${i % 50}`;
  const meta = (name: string) => ({
    name,
    namespace: ns,
    uid: `0000-${i}`,
    resourceVersion: String(1000 + i),
    generation: 2,
    labels: { app: name, tier: "web" },
    annotations: { "deployment.kubernetes.io/revision": "2" },
  });
  switch (i % 5) {
    case 0:
      return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta(`web-${i}`),
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: `web-${i}` } },
          template: {
            metadata: { labels: { app: `web-${i}` } },
            spec: {
              containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }],
            },
          },
        },
        status: {
          observedGeneration: 2,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: i % 10 === 0 ? 2 : 3,
          availableReplicas: i % 10 === 0 ? 2 : 3,
          conditions: [
            { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
            { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
          ],
        },
      };
    case 1:
      return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: meta(`web-${i}-abcde`),
        spec: { containers: [{ name: "web", image: "nginx:1.27" }], nodeName: `node-${i % 20}` },
        status: {
          phase: "Running",
          conditions: [
            { type: "PodScheduled", status: "True" },
            { type: "Ready", status: i % 7 === 0 ? "False" : "True" },
          ],
          containerStatuses: [{ name: "web", ready: i % 7 !== 0, restartCount: 0, image: "nginx" }],
        },
      };
    case 2:
      return {
        apiVersion: "v1",
        kind: "Service",
        metadata: meta(`svc-${i}`),
        spec: {
          type: "ClusterIP",
          clusterIP: `10.96.${(i >> 8) % 256}.${i % 256}`,
          ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }],
          selector: { app: `web-${i}` },
        },
      };
    case 3:
      return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: meta(`settings-${i}`),
        data: { "app.properties": `greeting=hello ${i}\ncolour=blue\n`, mode: "production" },
      };
    default:
      return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: meta(`migrate-${i}`),
        spec: { completions: 1, parallelism: 1, backoffLimit: 3 },
        status: {
          succeeded: 1,
          conditions: [{ type: "Complete", status: "True" }],
        },
      };
  }
}

/** YAML as kubectl prints it (block style, two-space indent), without a YAML library. */
function toYaml(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    return value.map((v) => {
      const inner = toYaml(v, indent + "  ");
      return `${indent}- ${inner.slice(indent.length + 2)}`;
    }).join("");
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).map(([k, v]) => {
      if (v !== null && typeof v === "object") {
        const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
        if (empty) return `${indent}${k}: ${Array.isArray(v) ? "[]" : "{}"}\n`;
        return `${indent}${k}:\n${toYaml(v, Array.isArray(v) ? indent : indent + "  ")}`;
      }
      return `${indent}${k}: ${scalar(v)}\n`;
    }).join("");
  }
  return `${indent}${scalar(value)}\n`;
}

function scalar(v: unknown): string {
  if (typeof v === "string") {
    // Quoted when a YAML reader would take it for something else: `True` is a boolean in
    // YAML 1.2's core schema, and `yes`/`on` in YAML 1.1 (the Go peer's reader).
    return /^[A-Za-z][\w.\-/ :]*$/.test(v) && !/: |:$/.test(v) &&
        !/^(true|false|null|yes|no|on|off|y|n)$/i.test(v)
      ? v
      : JSON.stringify(v);
  }
  return String(v);
}

async function writeInputs(dir: string, count: number): Promise<Record<Format, string>> {
  const yaml = join(dir, `objects-${count}.yaml`);
  const json = join(dir, `objects-${count}.json`);
  const list = join(dir, `list-${count}.yaml`);
  const yamlFile = await Deno.open(yaml, { write: true, create: true, truncate: true });
  const jsonFile = await Deno.open(json, { write: true, create: true, truncate: true });
  const listFile = await Deno.open(list, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  await jsonFile.write(enc.encode('{\n    "apiVersion": "v1",\n    "items": [\n'));
  await listFile.write(enc.encode("apiVersion: v1\nitems:\n"));
  const batch: string[] = [];
  const jsonBatch: string[] = [];
  const listBatch: string[] = [];
  for (let i = 0; i < count; i++) {
    const o = object(i);
    batch.push(toYaml(o));
    jsonBatch.push(
      JSON.stringify(o, null, 4).replace(/^/gm, "        ") + (i < count - 1 ? ",\n" : "\n"),
    );
    listBatch.push("- " + toYaml(o, "  ").slice(2));
    if (batch.length === 1000 || i === count - 1) {
      await yamlFile.write(enc.encode(batch.join("---\n") + (i < count - 1 ? "---\n" : "")));
      await jsonFile.write(enc.encode(jsonBatch.join("")));
      await listFile.write(enc.encode(listBatch.join("")));
      batch.length = 0;
      jsonBatch.length = 0;
      listBatch.length = 0;
    }
  }
  await listFile.write(enc.encode('kind: List\nmetadata:\n  resourceVersion: ""\n'));
  listFile.close();
  await jsonFile.write(
    enc.encode(
      '    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n',
    ),
  );
  yamlFile.close();
  jsonFile.close();
  return { yaml, json, list };
}

interface Run {
  wall: number;
  cpu: number;
  peakMb: number;
  lines: number;
  code: number;
}

async function measure(cmd: string[]): Promise<Run> {
  const started = performance.now();
  const { child, usage } = await spawnTimed(cmd);
  let lines = 0;
  for await (const chunk of child.stdout) {
    for (const b of chunk) if (b === 10) lines++;
  }
  const stderr = await new Response(child.stderr).text();
  const { code } = await child.status;
  const wall = (performance.now() - started) / 1000;
  const { cpuSeconds, peakMb } = await usage();
  if (code > 2) console.error(`${cmd.join(" ")} exited ${code}: ${stderr.trim().slice(-400)}`);
  return { wall, cpu: cpuSeconds, peakMb, lines, code };
}

function medianRun(rs: Run[]): Run {
  return [...rs].sort((a, b) => a.wall - b.wall)[Math.floor(rs.length / 2)];
}

const peerBin = (await new Deno.Command("bash", {
  args: [join(ROOT, "scripts/cluster/build.sh"), "peer"],
  stdout: "piped",
  stderr: "inherit",
}).output()).stdout;
const peer = join(new TextDecoder().decode(peerBin).trim().split("\n").at(-1)!, "kstatus-peer");
try {
  await Deno.stat(values.kstatus);
} catch {
  console.error(`${values.kstatus} is missing: run deno task build first`);
  Deno.exit(1);
}

const tools: Array<[string, (file: string) => string[]]> = [
  ["kstatus (binary)", (f) => [values.kstatus, "compute", "-f", f]],
  [
    "kstatus (deno)",
    (f) => [Deno.execPath(), "run", "-A", join(ROOT, "main.ts"), "compute", "-f", f],
  ],
  ["go (cli-utils)", (f) => [peer, "compute-files", f]],
];

const dir = await Deno.makeTempDir({ prefix: "kstatus-bench-compute-" });
const results = new Map<string, Run>();
try {
  console.log(
    `${runs} runs each, the median by wall time; ${navigator.hardwareConcurrency} CPUs\n`,
  );
  console.log(
    "objects  format  MB     tool               wall s  CPU s  peak MB  lines   exit",
  );
  for (const count of counts) {
    const files = await writeInputs(dir, count);
    for (const format of formats) {
      const file = files[format];
      const mb = (await Deno.stat(file)).size / 1e6;
      for (const [name, cmd] of tools) {
        const rs: Run[] = [];
        for (let i = 0; i < runs; i++) rs.push(await measure(cmd(file)));
        const r = medianRun(rs);
        results.set(`${count}/${format}/${name}`, r);
        console.log(
          `${String(count).padStart(7)}  ${format.padEnd(6)}  ${mb.toFixed(1).padStart(5)}  ` +
            `${name.padEnd(17)}  ${r.wall.toFixed(2).padStart(6)}  ${
              r.cpu.toFixed(2).padStart(5)
            }  ` +
            `${r.peakMb.toFixed(0).padStart(7)}  ${String(r.lines).padStart(6)}  ${r.code}`,
        );
        if (r.lines !== count) {
          console.error(`  ${name} printed ${r.lines} lines for ${count} objects`);
        }
      }
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

const [small, large] = [Math.min(...counts), Math.max(...counts)];
console.log("");
for (const format of formats) {
  for (const tool of ["kstatus (binary)", "kstatus (deno)"]) {
    const a = results.get(`${small}/${format}/${tool}`)!;
    const b = results.get(`${large}/${format}/${tool}`)!;
    if (small !== large) {
      console.log(
        `memory ${tool} ${format}: ${a.peakMb.toFixed(0)} MB at ${small}, ${
          b.peakMb.toFixed(0)
        } MB at ${large} (${((b.peakMb / a.peakMb - 1) * 100).toFixed(0)}%)`,
      );
    }
  }
}
const worst = { wall: 0, memory: 0 };
for (const format of formats) {
  const ours = results.get(`${large}/${format}/kstatus (binary)`)!;
  const go = results.get(`${large}/${format}/go (cli-utils)`)!;
  const wall = ours.wall / go.wall;
  const memory = ours.peakMb / go.peakMb;
  worst.wall = Math.max(worst.wall, wall);
  worst.memory = Math.max(worst.memory, memory);
  console.log(
    `${format}: kstatus/go wall ${wall.toFixed(2)}x memory ${memory.toFixed(2)}x ` +
      `(${large} objects, dist/kstatus)`,
  );
}
// The last line, in the fixed form of issue 14: the worse of the formats run for each measure.
console.log(
  `ratio compute kstatus/go: wall ${worst.wall.toFixed(2)}x memory ${worst.memory.toFixed(2)}x`,
);
