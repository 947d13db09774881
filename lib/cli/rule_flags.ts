/**
 * `--rules FILE|DIR|-` and `--no-builtin-rules`, shared by `compute`, `status`, `wait` and
 * `rules list|show`: the flags and the rule set they make.
 *
 * @module
 */

import type { Command } from "../deps/commander.ts";
import type { StdinSource } from "../manifest_input.ts";
import { InputError } from "../errors.ts";
import type { RuleCompiler, RuleSet } from "../rules/rule_layers.ts";
import type { KubeObject } from "../types.ts";

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
 * anything else), then the built-in pack unless turned off, and the strict checks when asked.
 *
 * @throws {InputError} for an unreadable or malformed rules file.
 */
export async function ruleSetFromFlags(
  flags: RuleFlags,
  options: { readStdin?: StdinSource; stdinTaken?: boolean } = {},
): Promise<RuleSet> {
  return (await lazyRuleSetFromFlags(flags, options, false)).set;
}

/** A rule set whose CEL evaluator loads only when an object needs it. */
export interface LazyRuleSet {
  /** The rule set. */
  set: RuleSet;
  /**
   * Call before `set.compute(obj)`: a promise to await when `obj` is the first object that
   * needs the CEL evaluator (a pack or strict rule judges it), else `undefined`.
   */
  prepare(obj: KubeObject): Promise<void> | undefined;
}

/**
 * As {@linkcode ruleSetFromFlags}, but without `--rules` files the CEL library loads only once
 * an object judged by a pack or strict rule comes (`compute` of built-in kinds starts faster).
 *
 * @throws {InputError} for an unreadable or malformed rules file.
 */
export async function lazyRuleSetFromFlags(
  flags: RuleFlags,
  options: { readStdin?: StdinSource; stdinTaken?: boolean } = {},
  lazy = true,
): Promise<LazyRuleSet> {
  if (options.stdinTaken && flags.rules.includes("-")) {
    throw new InputError("--rules - and -f - both read standard input; it can be read only once");
  }
  const paths = flags.rules.filter((p) => !p.startsWith(BUILTIN_PREFIX));
  const sets = flags.rules.filter((p) => p.startsWith(BUILTIN_PREFIX));
  for (const name of sets) {
    if (name !== STRICT) {
      throw new InputError(
        `--rules ${name}: no such built-in rule set (expected ${STRICT}, or a file or directory)`,
      );
    }
  }
  // Loaded when a command judges objects: `version` and `--help` stay fast.
  const [{ createRuleSetWith }, { BUILTIN_RULES }] = await Promise.all([
    import("../rules/rule_layers.ts"),
    import("../rules/builtin/rules.gen.ts"),
  ]);
  const builtin = flags.builtinRules ? BUILTIN_RULES : [];
  const strict = sets.length > 0
    ? (await import("../rules/builtin/strict.gen.ts")).STRICT_RULES
    : undefined;
  if (paths.length > 0 || !lazy) {
    const [{ loadRuleFiles }, { celRuleCompiler }] = await Promise.all([
      import("../rules/rule_file.ts"),
      import("../rules/rule_set.ts"),
    ]);
    const rules = paths.length > 0
      ? await loadRuleFiles(paths, { readStdin: options.readStdin })
      : [];
    return {
      set: createRuleSetWith({ rules, builtin, strict }, celRuleCompiler),
      prepare: () => undefined,
    };
  }
  // No file rule was given: most objects (built-in kinds) need no CEL.
  let compiler: RuleCompiler | undefined;
  let loading: Promise<void> | undefined;
  const set = createRuleSetWith({ builtin, strict }, () => {
    if (!compiler) throw new Error("internal: prepare() was not awaited for this object");
    return compiler;
  });
  const text = (v: unknown) => typeof v === "string" ? v : "";
  return {
    set,
    prepare(o) {
      if (compiler) return undefined;
      const [apiVersion, kind] = [text(o.apiVersion), text(o.kind)];
      const needsCel = set.ruleFor(apiVersion, kind).layer === "builtin" ||
        set.strictFor(apiVersion, kind) !== undefined;
      if (!needsCel) return undefined;
      loading ??= import("../rules/rule_set.ts").then((m) => {
        compiler = m.celRuleCompiler();
      });
      return loading;
    },
  };
}
