/**
 * Where the time went in a V8 CPU profile (`deno run --cpu-prof`): self time per function,
 * the largest first.
 *
 * Usage: deno run -A scripts/profile_summary.ts FILE.cpuprofile [TOP=25]
 *
 * @module
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const [file, top = "25"] = Deno.args;
if (!file) {
  console.error("usage: profile_summary.ts FILE.cpuprofile [TOP]");
  Deno.exit(2);
}
const profile = JSON.parse(await Deno.readTextFile(file)) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const byFunction = new Map<string, number>();
for (const { id, callFrame: f } of profile.nodes) {
  const where = f.url ? ` ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}` : "";
  const key = `${f.functionName || "(anonymous)"}${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (selfTime.get(id) ?? 0));
}
const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
console.log(`${(total / 1e6).toFixed(2)} s sampled`);
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(
    `${(us / 1000).toFixed(0).padStart(7)} ms ${
      (100 * us / total).toFixed(1).padStart(5)
    }%  ${name}`,
  );
}
