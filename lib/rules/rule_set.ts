/**
 * A rule set: the user's rules over the built-in pack over the contract over the generic rule.
 * Its `compute` is what the engine and `kstatus compute` judge objects with; `computeStatus`
 * stays the pure contract.
 *
 * @module
 */

import { groupKindKey, groupOf, versionOf } from "../groupkind.ts";
import type { ComputeResult, KubeObject } from "../types.ts";
import { type CelCompiler, createCelCompiler } from "./cel.ts";
import { type CompiledRule, compileRule, type RuleMatcher, ruleMatcher } from "./cel_rule.ts";
import { computeStatus } from "./compute.ts";
import { KIND_RULES } from "./contract/kind_rules.ts";
import type { RuleDefinition } from "./rule_file.ts";

/** Where the rule that judges a kind comes from. */
export type RuleLayer = "user" | "builtin" | "contract" | "generic" | "strict";

/** The rule that judges a kind. */
export interface RuleChoice {
  /** How outputs name it: `file:rules.yaml#3`, `builtin:cert-manager.io/Certificate`, ... */
  id: string;
  /** Which layer it comes from. */
  layer: RuleLayer;
  /** The rule as written, for user and built-in rules. */
  definition?: RuleDefinition;
}

/** What a rule set is made of. */
export interface RuleSetOptions {
  /** The user's rules, in load order (a later rule wins over an earlier one as specific). */
  rules?: readonly RuleDefinition[];
  /** The built-in pack's rules; `[]` turns the pack off (`--no-builtin-rules`). */
  builtin?: readonly RuleDefinition[];
  /**
   * Strict checks (`--rules builtin:strict`, `STRICT_RULES`): asked only when the
   * other layers say Current, their InProgress or Failed then wins. They may be for any kind,
   * the contract's included, and never make an object Current.
   */
  strict?: readonly RuleDefinition[];
}

/** Judges objects by the first layer with a rule for them. */
export interface RuleSet {
  /** The status of an object, with the `rule` that gave it. @throws {ComputeError} as `computeStatus` */
  compute(obj: KubeObject, now?: Date): ComputeResult;
  /** The rule that judges objects of this `apiVersion` and `kind`. */
  ruleFor(apiVersion: string, kind: string): RuleChoice;
  /** Every user, built-in and strict rule with its id and layer, in precedence order within a layer. */
  readonly rules: readonly RuleChoice[];
  /** The strict check asked for objects of this `apiVersion` and `kind` once they are Current. */
  strictFor(apiVersion: string, kind: string): RuleChoice | undefined;
}

interface Entry {
  id: string;
  layer: "user" | "builtin" | "strict";
  definition: RuleDefinition;
  matcher: RuleMatcher;
  compiled?: CompiledRule;
}

/**
 * Makes a rule set. The user's rules are compiled at once, so a bad expression is reported
 * before anything is judged; the built-in pack's rules are compiled when first used.
 *
 * @throws {InputError} for a user rule that does not compile.
 *
 * @example
 * ```ts
 * import { createRuleSet, parseRuleFile } from "@kstatus/kstatus";
 * const rules = parseRuleFile(
 *   "- apiVersion: example.com/v1\n  kind: Widget\n  current: status.phase == 'Ready'\n",
 *   "rules.yaml",
 * );
 * const set = createRuleSet({ rules });
 * const result = set.compute({
 *   apiVersion: "example.com/v1",
 *   kind: "Widget",
 *   metadata: { name: "w" },
 *   status: { phase: "Ready" },
 * });
 * console.log(result.status, result.rule); // Current file:rules.yaml#1
 * ```
 */
export function createRuleSet(options: RuleSetOptions = {}): RuleSet {
  const compiler: CelCompiler = createCelCompiler();
  const user: Entry[] = (options.rules ?? []).map((definition) => {
    const id = `file:${definition.file}#${definition.index}`;
    return {
      id,
      layer: "user",
      definition,
      matcher: ruleMatcher(definition),
      compiled: compileRule(definition, compiler, id),
    };
  });
  const builtin: Entry[] = (options.builtin ?? []).map((definition) => ({
    id: builtinRuleId(definition),
    layer: "builtin",
    definition,
    matcher: ruleMatcher(definition),
  }));
  const strict: Entry[] = (options.strict ?? []).map((definition) => ({
    id: builtinRuleId(definition, "strict"),
    layer: "strict",
    definition,
    matcher: ruleMatcher(definition),
  }));
  const cache = new Map<string, Entry | string>();
  const strictCache = new Map<string, Entry | null>();
  const findStrict = (apiVersion: string, kind: string): Entry | undefined => {
    if (strict.length === 0) return undefined;
    const key = `${apiVersion}\u0000${kind}`;
    let hit = strictCache.get(key);
    if (hit === undefined) {
      hit = apiVersion.split("/").length > 2
        ? null
        : best(strict, groupOf(apiVersion), versionOf(apiVersion), kind) ?? null;
      strictCache.set(key, hit);
    }
    return hit ?? undefined;
  };

  const find = (apiVersion: string, kind: string): Entry | string => {
    const key = `${apiVersion}\u0000${kind}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const malformed = apiVersion.split("/").length > 2;
    const group = groupOf(apiVersion);
    const version = versionOf(apiVersion);
    const contractKey = groupKindKey({ group, kind });
    let found: Entry | string | undefined;
    if (!malformed) {
      found = best(user, group, version, kind);
      // The pack never replaces a kind the contract has a rule for.
      if (!found && !KIND_RULES.has(contractKey)) found = best(builtin, group, version, kind);
    }
    found ??= !malformed && KIND_RULES.has(contractKey) ? `contract:${contractKey}` : "generic";
    cache.set(key, found);
    return found;
  };

  return {
    compute(obj, now = new Date()) {
      const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
      const kind = typeof obj.kind === "string" ? obj.kind : "";
      const found = find(apiVersion, kind);
      let result: ComputeResult;
      if (typeof found === "string") result = { ...computeStatus(obj, { now }), rule: found };
      else {
        found.compiled ??= compileBuiltin(found, compiler);
        result = found.compiled.evaluate(obj);
      }
      if (result.status !== "Current") return result;
      const check = findStrict(apiVersion, kind);
      if (!check) return result;
      check.compiled ??= compileBuiltin(check, compiler);
      const strictResult = check.compiled.evaluate(obj);
      return strictResult.status === "Current" ? result : strictResult;
    },
    strictFor(apiVersion, kind) {
      const e = findStrict(apiVersion, kind);
      return e && { id: e.id, layer: e.layer, definition: e.definition };
    },
    ruleFor(apiVersion, kind) {
      const found = find(apiVersion, kind);
      if (typeof found !== "string") {
        return { id: found.id, layer: found.layer, definition: found.definition };
      }
      return { id: found, layer: found === "generic" ? "generic" : "contract" };
    },
    rules: [...user, ...builtin, ...strict].map((e) => ({
      id: e.id,
      layer: e.layer,
      definition: e.definition,
    })),
  };
}

/** The most specific matching rule; among equals, the one loaded last. */
function best(entries: readonly Entry[], group: string, version: string, kind: string) {
  let found: Entry | undefined;
  for (const e of entries) {
    if (!e.matcher.test(group, version, kind)) continue;
    if (!found || e.matcher.specificity >= found.matcher.specificity) found = e;
  }
  return found;
}

/** A built-in rule that does not compile is a bug in the pack: its objects become Unknown. */
function compileBuiltin(entry: Entry, compiler: CelCompiler): CompiledRule {
  try {
    return compileRule(entry.definition, compiler, entry.id, { checked: true });
  } catch (e) {
    const message = `rule ${entry.id} does not compile: ${(e as Error).message.split("\n")[0]}`;
    return {
      id: entry.id,
      definition: entry.definition,
      evaluate: () => ({ status: "Unknown", message, conditions: [], rule: entry.id }),
    };
  }
}

/**
 * The id of a built-in rule: `builtin:` (or `prefix:`, `strict:` for the strict checks) and its
 * group (or group pattern) and kind, with the version when the rule is for one version only
 * (Cluster API's v1beta1 and v1beta2 differ).
 *
 * @example
 * ```ts
 * import { builtinRuleId } from "@kstatus/kstatus";
 * console.log(builtinRuleId({ apiVersion: "cert-manager.io/*", kind: "Certificate" }));
 * // builtin:cert-manager.io/Certificate
 * console.log(builtinRuleId({ apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Cluster" }));
 * // builtin:cluster.x-k8s.io/v1beta2/Cluster
 * ```
 */
export function builtinRuleId(
  rule: { apiVersion: string; kind: string },
  prefix = "builtin",
): string {
  const slash = rule.apiVersion.indexOf("/");
  if (slash < 0) {
    return `${prefix}:${rule.apiVersion === "*" ? "" : `${rule.apiVersion}/`}${rule.kind}`;
  }
  const group = rule.apiVersion.slice(0, slash);
  const version = rule.apiVersion.slice(slash + 1);
  return `${prefix}:${group}/${version === "*" ? "" : `${version}/`}${rule.kind}`;
}
