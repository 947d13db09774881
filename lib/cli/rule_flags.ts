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
  /** `--rules` paths, in order (later files win); `builtin:strict` adds the strict checks. */
  rules: string[];
  /** False with `--no-builtin-rules`. */
  builtinRules: boolean;
}

const BUILTIN_PREFIX = "builtin:";
const STRICT = "builtin:strict";

/** Whether `--rules builtin:strict` is among the flags. */
export function wantsStrict(flags: Pick<RuleFlags, "rules">): boolean {
  return flags.rules.includes(STRICT);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `--rules` and `--no-builtin-rules` to a command. */
export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option(
      "--rules <path>",
      "health rules file, directory, - for stdin, or builtin:strict (repeatable; later files win)",
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
  const paths = flags.rules.filter((p) => !p.startsWith(BUILTIN_PREFIX));
  const sets = flags.rules.filter((p) => p.startsWith(BUILTIN_PREFIX));
  for (const name of sets) {
    if (name !== STRICT) {
      throw new InputError(
        `--rules ${name}: no such built-in rule set (expected ${STRICT}, or a file or directory)`,
      );
    }
  }
  const [{ loadRuleFiles }, { createRuleSet }, { BUILTIN_RULES }] = await Promise.all([
    import("../rules/rule_file.ts"),
    import("../rules/rule_set.ts"),
    import("../rules/builtin/rules.gen.ts"),
  ]);
  const strict = sets.length > 0
    ? (await import("../rules/builtin/strict.gen.ts")).STRICT_RULES
    : undefined;
  const rules = paths.length > 0
    ? await loadRuleFiles(paths, { readStdin: options.readStdin })
    : [];
  return createRuleSet({ rules, builtin: flags.builtinRules ? BUILTIN_RULES : [], strict });
}
