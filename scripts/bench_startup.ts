/**
 * Start-up benchmark (`deno task bench:startup`): the release binary with the built-in rule
 * pack loaded, against a binary built the same way from the commit before the pack existed
 * (or `--baseline REF`). Each command runs `--runs` times as a whole process; medians printed.
 *
 *   deno task bench:startup [--baseline REF] [--runs 30]
 *
 * Figures are printed, never asserted.
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { baseline: { type: "string" }, runs: { type: "string", default: "30" } },
});
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;

async function sh(cmd: string, args: string[], cwd = root): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text.trim();
}

/** The commit before the one that added the pack's rules module. */
async function defaultBaseline(): Promise<string> {
  const added = await sh("git", [
    "log",
    "--diff-filter=A",
    "--format=%H",
    "--",
    "lib/rules/builtin/rules.gen.ts",
  ]);
  const first = added.split("\n").at(-1);
  if (!first) throw new Error("cannot find the commit that added the pack: give --baseline REF");
  return `${first}^`;
}

async function buildAt(ref: string, outfile: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kstatus-baseline-" });
  try {
    await sh("git", ["worktree", "add", "--detach", dir, ref]);
    await sh("bun", ["install", "--frozen-lockfile", "--silent"], dir);
    await sh("deno", ["run", "-A", "scripts/build.ts", "--outfile", outfile], dir);
  } finally {
    await sh("git", ["worktree", "remove", "--force", dir]).catch(() => {});
  }
}

async function median(cmd: string, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const ref = values.baseline ?? await defaultBaseline();
const tmp = await Deno.makeTempDir({ prefix: "kstatus-startup-" });
const current = `${tmp}/kstatus`;
const baseline = `${tmp}/kstatus-baseline`;
console.log(
  `building the current tree and ${ref} (${await sh("git", ["rev-parse", "--short", ref])})`,
);
await sh("deno", ["run", "-A", "scripts/build.ts", "--outfile", current]);
await buildAt(ref, baseline);
const manifest = `${tmp}/certificate.yaml`;
await Deno.writeTextFile(
  manifest,
  "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: shop}\n" +
    "status:\n  conditions:\n  - {type: Ready, status: 'True', message: up to date}\n",
);
const cases: Array<[string, string, string[]]> = [
  ["version", "version", ["version"]],
  ["compute one object", "compute", ["compute", "-f", manifest]],
];
console.log(`start-up, median of ${runs} runs (whole process):`);
for (const [label, , args] of cases) {
  const before = await median(baseline, args);
  const after = await median(current, args);
  console.log(
    `  ${label.padEnd(20)} before the pack ${before.toFixed(1)} ms, with the pack ` +
      `${after.toFixed(1)} ms (${after - before >= 0 ? "+" : ""}${
        (after - before).toFixed(1)
      } ms; target: within 10 ms)`,
  );
}
const size = (p: string) => Deno.statSync(p).size / 1024 / 1024;
console.log(
  `  binary size         before ${size(baseline).toFixed(1)} MiB, with the pack ${
    size(current).toFixed(1)
  } MiB`,
);
await Deno.remove(tmp, { recursive: true });
