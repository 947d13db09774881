/**
 * `--rules FILE|DIR|-` and `--no-builtin-rules`, shared by `compute`, `status`, `wait` and
 * `rules list|show`: the flags and the rule set they make.
 *
 * @module
 */

import type { Command } from "../deps/commander.ts";
import { InputError } from "../errors.ts";
import type { RuleCompiler, RuleSet } from "../rules/rule_layers.ts";
import type { KubeObject } from "../types.ts";

/** The rule flags as parsed. */
export interface RuleFlags {
  /** `--rules` paths, in order (later files win). */
  rules: string[];
  /** False with `--no-builtin-rules`. */
  builtinRules: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `--rules` and `--no-builtin-rules` to a command. */
export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option(
      "--rules <path>",
      "health rules file, directory or - for stdin (repeatable; later files win)",
      collect,
      [],
    )
    .option(
      "--no-builtin-rules",
      "judge custom resources by the generic rule only (the Go original's verdicts)",
    );
}

/**
 * The rule set of the flags: the user's rules (compiled now, so a bad rule is reported before
 * anything else), then the built-in pack unless turned off. Given the `objects` to judge
 * (`compute`), the CEL evaluator loads only when one of them has a user or pack rule.
 *
 * @throws {InputError} for an unreadable or malformed rules file.
 */
export async function ruleSetFromFlags(
  flags: RuleFlags,
  options: {
    readStdin?: () => Promise<string>;
    stdinTaken?: boolean;
    objects?: readonly KubeObject[];
  } = {},
): Promise<RuleSet> {
  if (options.stdinTaken && flags.rules.includes("-")) {
    throw new InputError("--rules - and -f - both read standard input; it can be read only once");
  }
  // Loaded when a command judges objects: `version` and `--help` stay fast.
  const [{ createRuleSetWith }, { BUILTIN_RULES }] = await Promise.all([
    import("../rules/rule_layers.ts"),
    import("../rules/builtin/rules.gen.ts"),
  ]);
  const builtin = flags.builtinRules ? BUILTIN_RULES : [];
  if (flags.rules.length > 0 || options.objects === undefined) {
    const [{ loadRuleFiles }, { celRuleCompiler }] = await Promise.all([
      import("../rules/rule_file.ts"),
      import("../rules/rule_set.ts"),
    ]);
    const rules = flags.rules.length > 0
      ? await loadRuleFiles(flags.rules, { readStdin: options.readStdin })
      : [];
    return createRuleSetWith({ rules, builtin }, celRuleCompiler);
  }
  // Only the pack, and the objects known: most objects (built-in kinds) need no CEL at all.
  let compiler: RuleCompiler | undefined;
  const set = createRuleSetWith({ builtin }, () => {
    if (!compiler) throw new Error("internal: an object not given to ruleSetFromFlags");
    return compiler;
  });
  const apiVersionAndKind = (o: KubeObject) =>
    [
      typeof o.apiVersion === "string" ? o.apiVersion : "",
      typeof o.kind === "string" ? o.kind : "",
    ] as const;
  if (options.objects.some((o) => set.ruleFor(...apiVersionAndKind(o)).layer === "builtin")) {
    compiler = (await import("../rules/rule_set.ts")).celRuleCompiler();
  }
  return set;
}
