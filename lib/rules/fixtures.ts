/**
 * Running rules' fixtures: each fixture's object judged by its own rule, the verdict compared
 * with the expected status (and message, when given). What `kstatus rules test` prints.
 *
 * @module
 */

import { createCelCompiler } from "./cel.ts";
import { compileRule } from "./cel_rule.ts";
import type { RuleDefinition } from "./rule_file.ts";
import type { Status } from "../types.ts";

/** The outcome of one fixture. */
export interface FixtureResult {
  /** The rule's id. */
  rule: string;
  /** The rule's `apiVersion` and `kind`. */
  kind: string;
  /** The fixture's name. */
  fixture: string;
  /** `file:line` of the fixture. */
  where: string;
  /** What the fixture expects. */
  expected: { status: Status; message?: string };
  /** What the rule gave. */
  got: { status: Status; message: string };
  /** True when they agree. */
  ok: boolean;
}

/** Every fixture's result, and the counts. */
export interface FixtureReport {
  /** One per fixture, in file order. */
  results: FixtureResult[];
  /** Rules run. */
  rules: number;
  /** Rules that have no fixture. */
  withoutFixtures: string[];
}

/**
 * Runs the fixtures of `rules`; `id` names each rule (user files: `file:PATH#N`).
 *
 * @throws {InputError} for a rule that does not compile.
 *
 * @example
 * ```ts
 * import { parseRuleFile, runFixtures } from "@kstatus/kstatus";
 * const rules = parseRuleFile(
 *   `- apiVersion: example.com/v1
 *   kind: Widget
 *   current: status.phase == 'Ready'
 *   fixtures:
 *     - name: ready
 *       status: Current
 *       object: { status: { phase: Ready } }
 * `,
 *   "rules.yaml",
 * );
 * const report = runFixtures(rules);
 * console.log(report.results[0].ok); // true
 * ```
 */
export function runFixtures(
  rules: readonly RuleDefinition[],
  id: (rule: RuleDefinition) => string = (r) => `file:${r.file}#${r.index}`,
): FixtureReport {
  const compiler = createCelCompiler();
  const results: FixtureResult[] = [];
  const withoutFixtures: string[] = [];
  for (const def of rules) {
    const rule = compileRule(def, compiler, id(def));
    if (def.fixtures.length === 0) withoutFixtures.push(rule.id);
    for (const f of def.fixtures) {
      const got = rule.evaluate(f.object);
      const ok = got.status === f.status && (f.message === undefined || f.message === got.message);
      const expected: FixtureResult["expected"] = { status: f.status };
      if (f.message !== undefined) expected.message = f.message;
      results.push({
        rule: rule.id,
        kind: `${def.apiVersion} ${def.kind}`,
        fixture: f.name,
        where: `${def.file}:${f.line}`,
        expected,
        got: { status: got.status, message: got.message },
        ok,
      });
    }
  }
  return { results, rules: rules.length, withoutFixtures };
}
