/**
 * Where the start-up of the binary goes (`deno task bench:startup:phases`): builds the binary
 * from a copy of the tree with a timestamp (`performance.now()`, from the process's start) at
 * each phase of `compute` and `version`, runs each case, and prints the median time at each
 * phase and the step from the one before. The source itself carries no timestamps: they are
 * put into the copy here, each after a line of the source; a line that moved fails the script
 * loudly, naming it. `deno task bench:startup` gives the whole-process figures.
 *
 *   deno task bench:startup:phases [--runs 40]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BINARY_BUILD_FLAGS } from "./build_support.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "40" } } });
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;

/** [file, a line of it (its start, trimmed), where the mark goes, the phase reached there]. */
const MARKS: Array<[string, string, "before" | "after", string]> = [
  ["main.ts", "let stdinRead = false;", "before", "main runs (static modules evaluated)"],
  ["main.ts", "const phaseOut = writer(process.stdout);", "after", "process.stdout made"],
  ["lib/cli/program.ts", "if (!STANDALONE.has(args[0])) {", "before", "command tree built"],
  ["lib/cli/program.ts", "const ruleSet = await lazyRuleSetFromFlags(", "before", "compute runs"],
  ["lib/cli/program.ts", "const { runCompute } = await import(", "before", "rule set made"],
  [
    "lib/cli/compute_command.ts",
    "const objects = streamManifests(",
    "before",
    "manifest reader loaded",
  ],
  ["lib/cli/compute_command.ts", "const ready = prepare?.(", "before", "object read and parsed"],
  ["lib/cli/rule_flags.ts", "builtin = m.BUILTIN_RULES;", "before", "pack loaded"],
  [
    "lib/cli/rule_flags.ts",
    "inner = createRuleSetWith({ builtin, strict }",
    "after",
    "pack rule set made",
  ],
  ["lib/cli/rule_flags.ts", "compiler = m.celRuleCompiler();", "before", "CEL library loaded"],
  ["lib/cli/rule_flags.ts", "compiler = m.celRuleCompiler();", "after", "CEL environment made"],
  [
    "lib/rules/rule_layers.ts",
    "found.compiled ??= compileBuiltin(",
    "after",
    "rule's expressions parsed",
  ],
  [
    "lib/cli/compute_command.ts",
    "const { status, conditions } = judge(",
    "after",
    "judged (a first run type-checks)",
  ],
  ["lib/cli/compute_command.ts", "flush();", "after", "printed"],
];

const MARK = "(globalThis as { __phase?: (l: string) => void }).__phase?.";

const tree = await Deno.makeTempDir({ prefix: "kstatus-phases-" });
try {
  for (
    const entry of ["main.ts", "lib", "readers", "deno.json", "package.json", "bun.tsconfig.json"]
  ) {
    await copy(`${root}${entry}`, `${tree}/${entry}`);
  }
  await Deno.symlink(`${root}node_modules`, `${tree}/node_modules`);
  // The clock: set up by the first module main.ts imports, so its first mark is the first code run.
  await Deno.writeTextFile(
    `${tree}/phase_clock.ts`,
    "const g = globalThis as { __phase?: (l: string) => void };\n" +
      "g.__phase = (l) => console.error(`phase\\t${l}\\t${performance.now()}`);\n" +
      'g.__phase("first module runs (Bun started)");\n',
  );
  await edit(
    `${tree}/main.ts`,
    (text) =>
      text.replace(
        'import process from "node:process";',
        'import "./phase_clock.ts";\nimport process from "node:process";',
      )
        .replace(
          "  let stdinRead = false;",
          "  let stdinRead = false;\n  const phaseOut = writer(process.stdout);",
        )
        .replace("    out: writer(process.stdout),", "    out: phaseOut,"),
  );
  for (const [file, line, where, label] of MARKS) {
    await edit(`${tree}/${file}`, (text) => {
      const lines = text.split("\n");
      const i = lines.findIndex((l) => l.trim().startsWith(line));
      if (i < 0) {
        throw new Error(`${file}: no line starts "${line}": update scripts/startup_phases.ts`);
      }
      // Marks go between statements: after a line that ends one.
      if (where === "after" && !/;$/.test(lines[i].trim())) {
        throw new Error(`${file}: "${line}" does not end a statement on its line`);
      }
      lines.splice(where === "after" ? i + 1 : i, 0, `${MARK}(${JSON.stringify(label)});`);
      return lines.join("\n");
    });
  }
  const exit = "process.exitCode = code;";
  await edit(
    `${tree}/main.ts`,
    (text) => text.replace(exit, `${exit}\n  process.on("exit", () => ${MARK}("exit"));`),
  );
  const binary = `${tree}/kstatus`;
  await sh("bun", ["build", ...BINARY_BUILD_FLAGS, "main.ts", "--outfile", binary], tree);

  await Deno.writeTextFile(
    `${tree}/certificate.yaml`,
    "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: shop}\n" +
      "status:\n  conditions:\n  - {type: Ready, status: 'True', message: up to date}\n",
  );
  await Deno.writeTextFile(
    `${tree}/deployment.yaml`,
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, generation: 1}\n" +
      "spec: {replicas: 1}\nstatus: {observedGeneration: 1, replicas: 1, updatedReplicas: 1,\n" +
      "  readyReplicas: 1, availableReplicas: 1, conditions: [{type: Available, status: 'True'}]}\n",
  );
  const cases: Array<[string, string[]]> = [
    ["version", ["version"]],
    ["compute Deployment", ["compute", "-f", `${tree}/deployment.yaml`]],
    ["compute Certificate", ["compute", "-f", `${tree}/certificate.yaml`]],
  ];
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ")[0];
  console.log(
    `start-up phases, median of ${runs} runs (ms since the process started; load ${load}):`,
  );
  for (const [name, args] of cases) {
    const times = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
      const out = await new Deno.Command(binary, { args, stdout: "null", stderr: "piped" })
        .output();
      if (!out.success) throw new Error(`${name}: exit ${out.code}`);
      for (const l of new TextDecoder().decode(out.stderr).split("\n")) {
        const [tag, label, ms] = l.split("\t");
        if (tag === "phase") times.set(label, [...(times.get(label) ?? []), Number(ms)]);
      }
    }
    console.log(`  ${name}`);
    let before = 0;
    for (const [label, ms] of times) {
      const m = median(ms);
      console.log(
        `    ${label.padEnd(44)} ${m.toFixed(1).padStart(6)}  (+${(m - before).toFixed(1)})`,
      );
      before = m;
    }
  }
} finally {
  await Deno.remove(tree, { recursive: true });
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function copy(from: string, to: string): Promise<void> {
  if ((await Deno.stat(from)).isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) await copy(`${from}/${e.name}`, `${to}/${e.name}`);
  } else {
    await Deno.copyFile(from, to);
  }
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const text = await Deno.readTextFile(path);
  const changed = change(text);
  if (changed === text) {
    throw new Error(`${path}: nothing changed: update scripts/startup_phases.ts`);
  }
  await Deno.writeTextFile(path, changed);
}

async function sh(cmd: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}
