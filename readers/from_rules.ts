/**
 * StatusReaders from a rule set, for registries built by hand.
 *
 * @module
 */

import type { RuleSet } from "../lib/rules/rule_set.ts";
import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader, type StatusReaderSpec } from "./base.ts";

/**
 * A StatusReader that judges objects by `rules` (children as `spec` says). The engine does the
 * same for every reader when given the rule set's `compute` (`createStatusPoller({ compute })`);
 * this is for a registry entry that must use a rule set of its own.
 *
 * @example
 * ```ts
 * import {
 *   BUILTIN_RULES,
 *   createRuleSet,
 *   defaultStatusReaders,
 *   statusReaderFromRules,
 * } from "@kstatus/kstatus";
 * const registry = defaultStatusReaders();
 * const rules = createRuleSet({ builtin: BUILTIN_RULES });
 * registry.set("cert-manager.io/Certificate", statusReaderFromRules(rules, {
 *   groupKinds: [{ group: "cert-manager.io", kind: "Certificate" }],
 * }));
 * ```
 */
export function statusReaderFromRules(
  rules: RuleSet,
  spec: Omit<StatusReaderSpec, "compute"> = {},
): StatusReader {
  return createStatusReader({ ...spec, compute: (obj, now) => rules.compute(obj, now) });
}
