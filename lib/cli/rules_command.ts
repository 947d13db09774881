/**
 * `kstatus rules test|list|show`: run rules' fixtures (as `promtool test rules` does), list
 * which rule judges which kind, print a rule's expressions.
 *
 * @module
 */

import type { Command } from "../deps/commander.ts";
import type { StdinSource } from "../manifest_input.ts";
import { groupOf } from "../groupkind.ts";
import { globMatcher } from "../rules/glob.ts";
import { InputError } from "../errors.ts";
import type { RuleDefinition } from "../rules/rule_file.ts";
import type { RuleChoice } from "../rules/rule_set.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { addRuleOptions, type RuleFlags, ruleSetFromFlags } from "./rule_flags.ts";

/** The rule modules, loaded when a rules command runs (not for every start of the CLI). */
async function ruleModules() {
  const [contract, fixtures, files, sets, pack, strict] = await Promise.all([
    import("../rules/contract/kind_rules.ts"),
    import("../rules/fixtures.ts"),
    import("../rules/rule_file.ts"),
    import("../rules/rule_set.ts"),
    import("../rules/builtin/rules.gen.ts"),
    import("../rules/builtin/strict.gen.ts"),
  ]);
  return {
    KIND_RULES: contract.KIND_RULES,
    runFixtures: fixtures.runFixtures,
    loadRuleFiles: files.loadRuleFiles,
    builtinRuleId: sets.builtinRuleId,
    BUILTIN_RULES: pack.BUILTIN_RULES,
    STRICT_RULES: strict.STRICT_RULES,
  };
}

/** What the rules commands write to and read from. */
export interface RulesCommandIo {
  /** A line on stdout. */
  out: (line: string) => void;
  /** A line on stderr. */
  err: (line: string) => void;
  /** Reads stdin for `-`. */
  readStdin?: StdinSource;
}

/** Adds `rules test`, `rules list` and `rules show` to `program`. */
export function installRulesCommands(
  program: Command,
  io: RulesCommandIo,
  setCode: (code: number) => void,
): void {
  const rules = program.command("rules")
    .description("health rules for custom resources: test, list and show them")
    .addHelpText(
      "after",
      `
Rules are CEL expressions per kind (Flux's healthCheckExprs shape, plus message and fixtures).
Precedence: --rules files (later wins), then the built-in pack, then the contract's kind rules,
then the generic rule. See docs/rules.md.

Examples:
  kstatus rules test                      # the built-in pack's fixtures
  kstatus rules test my-rules/            # your rules' fixtures, in CI
  kstatus rules list --rules my-rules.yaml
  kstatus rules show Certificate`,
    );

  rules.command("test")
    .description("run the fixtures of rule files (the built-in pack when none is given)")
    .argument("[PATH...]", "rule files or directories, - for stdin")
    .option("-v, --verbose", "print every fixture, not only the failing ones", false)
    .addHelpText(
      "after",
      `
Prints one line per failing fixture (expected vs got) and a summary.
Exit codes: 0 every fixture passed, 1 a fixture failed, 3 a rule file is malformed.`,
    )
    .action(async (paths: string[], opts: { verbose: boolean }) => {
      setCode(await runRulesTest(paths, opts.verbose, io));
    });

  addRuleOptions(
    rules.command("list")
      .description("print which rule judges which kind"),
  ).action(async (opts: RuleFlags) => {
    const { KIND_RULES } = await ruleModules();
    const set = await ruleSetFromFlags(opts, { readStdin: io.readStdin });
    const rows: string[][] = [["KIND", "APIVERSION", "RULE", "SOURCE"]];
    for (const choice of set.rules) {
      const d = choice.definition!;
      const shadow = choice.layer === "strict"
        ? "  (strict check: asked once the other rules say Current)"
        : shadowedBy(choice, set.ruleFor(sampleApiVersion(d.apiVersion), d.kind));
      rows.push([d.kind, d.apiVersion, choice.id, `${d.file}:${d.line}${shadow}`]);
    }
    for (const key of KIND_RULES.keys()) {
      const { group, kind } = contractKind(key);
      const choice = set.ruleFor(group ? `${group}/v1` : "v1", kind);
      const source = choice.layer === "contract" ? "the Go original's rule" : `see ${choice.id}`;
      rows.push([kind, group ? `${group}/*` : "v1", `contract:${key}`, source]);
    }
    rows.push(["*", "*/*", "generic", "Reconciling/Stalled/Ready conditions, else Current"]);
    for (const line of columns(rows)) io.out(line);
  });

  addRuleOptions(
    rules.command("show")
      .description("print the rules for a kind, with their expressions")
      .argument(
        "<KIND>",
        "Kind, Kind.group or group/Kind (Certificate, certificate.cert-manager.io)",
      ),
  ).action(async (kindArg: string, opts: RuleFlags) => {
    const { KIND_RULES } = await ruleModules();
    const set = await ruleSetFromFlags(opts, { readStdin: io.readStdin });
    const { kind, group } = parseKindArg(kindArg);
    const matches = set.rules.filter((c) => {
      const d = c.definition!;
      if (d.kind.toLowerCase() !== kind && d.kind !== "*") return false;
      if (d.kind === "*" && group === undefined) return false;
      if (group === undefined) return true;
      return globMatcher(groupOf(d.apiVersion))(group);
    });
    const contract = [...KIND_RULES.keys()].filter((key) => {
      const c = contractKind(key);
      return c.kind.toLowerCase() === kind &&
        (group === undefined || c.group === group);
    });
    if (matches.length === 0 && contract.length === 0) {
      throw new CliExit(
        ExitCode.BadInput,
        `error: no rule for ${kindArg}: it is judged by the generic rule ` +
          "(Reconciling/Stalled/Ready conditions, else Current); see kstatus rules list",
      );
    }
    for (const c of matches) {
      const d = c.definition!;
      io.out(`${c.id}  (${d.file}:${d.line})`);
      io.out(`  apiVersion: ${d.apiVersion}`);
      io.out(`  kind:       ${d.kind}`);
      if (d.docs) io.out(`  docs:       ${d.docs}`);
      for (const key of ["inProgress", "failed", "current", "message"] as const) {
        const text = d[key]?.trim().replaceAll("\n", `\n${" ".repeat(14)}`);
        if (text !== undefined) io.out(`  ${`${key}:`.padEnd(11)} ${text}`);
      }
      io.out("");
    }
    for (const key of contract) {
      io.out(`contract:${key}  (the Go original's rule for ${key}, built in; see docs/rules.md)`);
    }
  });
}

async function runRulesTest(paths: string[], verbose: boolean, io: RulesCommandIo) {
  const { BUILTIN_RULES, STRICT_RULES, builtinRuleId, loadRuleFiles, runFixtures } =
    await ruleModules();
  let rules: readonly RuleDefinition[];
  let id: ((r: RuleDefinition) => string) | undefined;
  if (paths.length === 0) {
    const { BUILTIN_FIXTURES } = await import("../rules/builtin/fixtures.gen.ts");
    id = (r) => builtinRuleId(r, r.file.startsWith("builtin/strict/") ? "strict" : "builtin");
    rules = [...BUILTIN_RULES, ...STRICT_RULES].map((r) => ({
      ...r,
      fixtures: BUILTIN_FIXTURES[id!(r)] ?? [],
    }));
  } else {
    rules = await loadRuleFiles(paths, { readStdin: io.readStdin });
    if (rules.length === 0) throw new InputError(`no rules found in ${paths.join(", ")}`);
  }
  const report = runFixtures(rules, id);
  let failed = 0;
  for (const r of report.results) {
    if (r.ok) {
      if (verbose) io.out(`ok   ${r.where} ${r.rule} "${r.fixture}": ${r.got.status}`);
      continue;
    }
    failed++;
    io.out(
      `FAIL ${r.where} ${r.rule} "${r.fixture}": expected ${verdict(r.expected)}, ` +
        `got ${verdict(r.got)}`,
    );
  }
  for (const rule of report.withoutFixtures) io.err(`note: ${rule} has no fixtures`);
  const total = report.results.length;
  io.out(
    `rules test: ${report.rules} rules, ${total} fixtures: ${total - failed} passed, ` +
      `${failed} failed`,
  );
  return failed > 0 ? ExitCode.Failed : ExitCode.Ok;
}

function verdict(v: { status: string; message?: string }): string {
  return v.message === undefined ? v.status : `${v.status} ${JSON.stringify(v.message)}`;
}

/** ` (overridden by X)` when another rule judges the kind this rule is for. */
function shadowedBy(choice: RuleChoice, winner: RuleChoice): string {
  if (groupOf(choice.definition?.apiVersion ?? "").includes("*")) return "";
  if (choice.definition?.kind === "*") return "";
  return winner.id === choice.id ? "" : `  (overridden by ${winner.id})`;
}

/** An apiVersion the pattern matches, to ask the rule set who judges it. */
function sampleApiVersion(pattern: string): string {
  return pattern.replaceAll("*", "v1");
}

/** The group and kind of a contract rule's key (`apps/Deployment`, `Pod`). */
function contractKind(key: string): { group: string; kind: string } {
  const slash = key.indexOf("/");
  return slash < 0
    ? { group: "", kind: key }
    : { group: key.slice(0, slash), kind: key.slice(slash + 1) };
}

function parseKindArg(text: string): { kind: string; group?: string } {
  if (text.includes("/")) {
    const [group, kind] = text.split("/", 2);
    return { kind: kind.toLowerCase(), group };
  }
  const dot = text.indexOf(".");
  if (dot > 0) return { kind: text.slice(0, dot).toLowerCase(), group: text.slice(dot + 1) };
  return { kind: text.toLowerCase() };
}

function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
}
