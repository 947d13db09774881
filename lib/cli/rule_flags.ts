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
import type { RuleDefinition } from "../rules/rule_file.ts";
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

/** A rule set whose built-in pack and CEL evaluator load only when an object needs them. */
export interface LazyRuleSet {
  /** The rule set (its `rules` are listed only once the pack is loaded). */
  set: RuleSet;
  /**
   * Call before `set.compute(obj)` or `set.ruleFor`: a promise to await when `obj` is the first
   * object that needs the pack (its index covers the kind) or the CEL evaluator (a pack or
   * strict rule judges it), else `undefined`.
   */
  prepare(obj: KubeObject): Promise<void> | undefined;
}

/**
 * As {@linkcode ruleSetFromFlags}, but without `--rules` files the built-in pack loads only
 * once an object of a kind it covers comes, and the CEL library once an object judged by a pack
 * or strict rule comes (`compute` of built-in kinds starts faster).
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
  const strict = sets.length > 0
    ? (await import("../rules/builtin/strict.gen.ts")).STRICT_RULES
    : undefined;
  if (paths.length > 0 || !lazy) {
    // The rules-file reader (and with it the `yaml` library) loads only for files to read.
    const [{ createRuleSetWith }, { BUILTIN_RULES }, ruleFile, { celRuleCompiler }] = await Promise
      .all([
        import("../rules/rule_layers.ts"),
        import("../rules/builtin/rules.gen.ts"),
        paths.length > 0 ? import("../rules/rule_file.ts") : undefined,
        import("../rules/rule_set.ts"),
      ]);
    const rules = ruleFile
      ? await ruleFile.loadRuleFiles(paths, { readStdin: options.readStdin })
      : [];
    const builtin = flags.builtinRules ? BUILTIN_RULES : [];
    return {
      set: createRuleSetWith({ rules, builtin, strict }, celRuleCompiler),
      prepare: () => undefined,
    };
  }
  // No file rule was given: most objects (built-in kinds) need neither the pack nor CEL. The
  // pack loads for the first object its index covers, CEL for the first one a rule judges.
  const [{ createRuleSetWith }, { BUILTIN_KINDS }, { packCovers }] = await Promise.all([
    import("../rules/rule_layers.ts"),
    import("../rules/builtin/kinds.gen.ts"),
    import("../rules/pack_index.ts"),
  ]);
  let builtin: readonly RuleDefinition[] | undefined = flags.builtinRules ? undefined : [];
  let compiler: RuleCompiler | undefined;
  const compilerFor = () => {
    if (!compiler) throw new Error("internal: prepare() was not awaited for this object");
    return compiler;
  };
  let inner = createRuleSetWith({ builtin: builtin ?? [], strict }, compilerFor);
  const covered = new Map<string, boolean>();
  const needsPack = (apiVersion: string, kind: string) => {
    if (builtin) return false;
    const key = `${apiVersion}\u0000${kind}`;
    let hit = covered.get(key);
    if (hit === undefined) covered.set(key, hit = packCovers(BUILTIN_KINDS, apiVersion, kind));
    return hit;
  };
  const current = (apiVersion: string, kind: string) => {
    if (needsPack(apiVersion, kind)) {
      throw new Error("internal: prepare() was not awaited for this object");
    }
    return inner;
  };
  let packLoading: Promise<void> | undefined;
  let celLoading: Promise<void> | undefined;
  const loadCel = (apiVersion: string, kind: string) => {
    if (compiler) return undefined;
    const needsCel = inner.ruleFor(apiVersion, kind).layer === "builtin" ||
      inner.strictFor(apiVersion, kind) !== undefined;
    if (!needsCel) return undefined;
    celLoading ??= import("../rules/rule_set.ts").then((m) => {
      compiler = m.celRuleCompiler();
    });
    return celLoading;
  };
  const text = (v: unknown) => typeof v === "string" ? v : "";
  const str = (o: KubeObject) => [text(o.apiVersion), text(o.kind)] as const;
  return {
    set: {
      compute: (o, now) => current(...str(o)).compute(o, now),
      ruleFor: (apiVersion, kind) => current(apiVersion, kind).ruleFor(apiVersion, kind),
      strictFor: (apiVersion, kind) => current(apiVersion, kind).strictFor(apiVersion, kind),
      get rules() {
        if (!builtin) throw new Error("internal: the rules of a lazy rule set are not listed");
        return inner.rules;
      },
    },
    prepare(o) {
      if (builtin && compiler) return undefined;
      const [apiVersion, kind] = str(o);
      if (!needsPack(apiVersion, kind)) return loadCel(apiVersion, kind);
      packLoading ??= import("../rules/builtin/rules.gen.ts").then((m) => {
        builtin = m.BUILTIN_RULES;
        inner = createRuleSetWith({ builtin, strict }, compilerFor);
      });
      return packLoading.then(() => loadCel(apiVersion, kind));
    },
  };
}
