/**
 * `--rules FILE|DIR|-` and `--no-builtin-rules`, shared by `compute`, `status`, `wait` and
 * `rules list|show`: the flags and the rule set they make.
 *
 * @module
 */

import type { Command } from "../deps/commander.ts";
import type { StdinSource } from "../manifest_input.ts";
import { InputError } from "../errors.ts";
import type { RuleSet } from "../rules/rule_set.ts";

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
 * anything else), then the built-in pack unless turned off.
 *
 * @throws {InputError} for an unreadable or malformed rules file.
 */
export async function ruleSetFromFlags(
  flags: RuleFlags,
  options: { readStdin?: StdinSource; stdinTaken?: boolean } = {},
): Promise<RuleSet> {
  if (options.stdinTaken && flags.rules.includes("-")) {
    throw new InputError("--rules - and -f - both read standard input; it can be read only once");
  }
  // Loaded when a command judges objects: `version` and `--help` stay fast.
  const [{ loadRuleFiles }, { createRuleSet }, { BUILTIN_RULES }] = await Promise.all([
    import("../rules/rule_file.ts"),
    import("../rules/rule_set.ts"),
    import("../rules/builtin/rules.gen.ts"),
  ]);
  const rules = flags.rules.length > 0
    ? await loadRuleFiles(flags.rules, { readStdin: options.readStdin })
    : [];
  return createRuleSet({ rules, builtin: flags.builtinRules ? BUILTIN_RULES : [] });
}
