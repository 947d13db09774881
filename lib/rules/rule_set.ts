/**
 * A rule set: the user's rules over the built-in pack over the contract over the generic rule.
 * Its `compute` is what the engine and `kstatus compute` judge objects with; `computeStatus`
 * stays the pure contract.
 *
 * @module
 */

import { createCelCompiler } from "./cel.ts";
import { compileRule } from "./cel_rule.ts";
import {
  createRuleSetWith,
  type RuleCompiler,
  type RuleSet,
  type RuleSetOptions,
} from "./rule_layers.ts";

export {
  builtinRuleId,
  type RuleChoice,
  type RuleCompiler,
  type RuleLayer,
  type RuleSet,
  type RuleSetOptions,
} from "./rule_layers.ts";

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
  return createRuleSetWith(options, celRuleCompiler);
}

/** Compiles rules with a new CEL environment. */
export function celRuleCompiler(): RuleCompiler {
  const cel = createCelCompiler();
  return (definition, id, options) => compileRule(definition, cel, id, options);
}
