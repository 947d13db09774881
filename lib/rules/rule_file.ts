/**
 * Rule files: YAML (one or more documents) or JSON, each document a list of rules (Flux's
 * `healthCheckExprs` shape) or a Flux `Kustomization` whose `spec.healthCheckExprs` are the
 * rules. Every problem is an `InputError` naming the file and line.
 *
 * @module
 */

import { isMap, isNode, isSeq } from "../deps/yaml.ts";
import { InputError } from "../errors.ts";
import { isObject } from "../fields.ts";
import { parseYamlDocuments, readInputs, type StdinSource } from "../manifests.ts";
import { ALL_STATUSES, type KubeObject, type Status } from "../types.ts";

/** The expressions of a rule, by key. */
export type ExpressionKey = "inProgress" | "failed" | "current" | "message";

/** The expression keys in evaluation order (`message` last). */
export const EXPRESSION_KEYS: readonly ExpressionKey[] = [
  "inProgress",
  "failed",
  "current",
  "message",
];

/** An object with the verdict its rule must give it (`kstatus rules test`). */
export interface RuleFixture {
  /** Unique within its rule. */
  name: string;
  /** The expected status. */
  status: Status;
  /** The expected message, compared exactly when given. */
  message?: string;
  /** The object; `apiVersion` and `kind` default to the rule's when it has no wildcard. */
  object: KubeObject;
  /** 1-based line of the fixture in its file. */
  line: number;
}

/** One rule as written, with where it came from. */
export interface RuleDefinition {
  /** `group/version`, `v1`, or a pattern with `*` (`cert-manager.io/*`, `*.crossplane.io/*`). */
  apiVersion: string;
  /** The kind, or `*` together with a group pattern. */
  kind: string;
  /** CEL: the object is ready. */
  current: string;
  /** CEL: the object is still progressing. */
  inProgress?: string;
  /** CEL: the object failed. */
  failed?: string;
  /** CEL string: the line users read. */
  message?: string;
  /** Where the rule was written from. */
  docs?: string;
  /** Objects with their expected verdicts. */
  fixtures: RuleFixture[];
  /** The file it was read from (`-` for stdin). */
  file: string;
  /** 1-based line of the rule. */
  line: number;
  /** 1-based position of the rule in its file. */
  index: number;
  /** 1-based line of each expression, for errors. */
  lines: Partial<Record<ExpressionKey, number>>;
}

const RULE_KEYS = new Set([
  "apiVersion",
  "kind",
  "current",
  "inProgress",
  "failed",
  "message",
  "docs",
  "fixtures",
]);
const FIXTURE_KEYS = new Set(["name", "status", "message", "object"]);

/**
 * Parses the text of one rules file. Expressions are not compiled here (see `compileRule`).
 *
 * @throws {InputError} naming `file` and the line of the problem.
 *
 * @example
 * ```ts
 * import { parseRuleFile } from "@kstatus/kstatus";
 * const rules = parseRuleFile(
 *   "- apiVersion: example.com/v1\n  kind: Widget\n  current: status.ready == true\n",
 *   "rules.yaml",
 * );
 * console.log(rules[0].kind, rules[0].line); // Widget 1
 * ```
 */
export function parseRuleFile(text: string, file: string): RuleDefinition[] {
  const parsed = parseYamlDocuments(text, file);
  const lineAt = (offset: number | undefined) => offset === undefined ? 0 : parsed.lineAt(offset);
  const out: RuleDefinition[] = [];
  for (const { value, contents, line: docLine } of parsed.documents) {
    let seq: unknown = contents;
    let items: unknown[];
    if (Array.isArray(value)) {
      items = value;
    } else if (isFluxKustomization(value)) {
      const exprs = (value.spec as Record<string, unknown> | undefined)?.healthCheckExprs;
      if (exprs === undefined) continue; // a Kustomization without health checks adds nothing
      if (!Array.isArray(exprs)) {
        throw new InputError("spec.healthCheckExprs of a Kustomization must be a list", {
          file,
          line: docLine,
        });
      }
      items = exprs;
      const spec = isMap(contents) ? contents.get("spec", true) : undefined;
      seq = isMap(spec) ? spec.get("healthCheckExprs", true) : undefined;
    } else {
      throw new InputError(
        "expected a list of rules, or a Flux Kustomization with spec.healthCheckExprs",
        { file, line: docLine },
      );
    }
    const nodes = isSeq(seq) ? seq.items : [];
    items.forEach((item, i) => {
      const node = nodes[i];
      const line = isNode(node) && node.range ? lineAt(node.range[0]) : docLine;
      out.push(checkRule(item, node, { file, line, index: out.length + 1, lineAt }));
    });
  }
  return out;
}

function isFluxKustomization(value: unknown): value is Record<string, unknown> {
  return isObject(value) && value.kind === "Kustomization" &&
    typeof value.apiVersion === "string" &&
    value.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/");
}

interface Where {
  file: string;
  line: number;
  index: number;
  lineAt: (offset: number | undefined) => number;
}

function checkRule(value: unknown, node: unknown, where: Where): RuleDefinition {
  const { file, line, index } = where;
  const at = (what: string) => new InputError(`rule ${index}: ${what}`, { file, line });
  if (!isObject(value)) throw at(`expected a mapping, got ${describe(value)}`);
  // The line of a key's value, or (`ofKey`) of the key itself.
  const keyLine = (key: string, ofKey = false): number => {
    if (!isMap(node)) return line;
    const pair = node.items.find((p) =>
      isNode(p.key) && (p.key as { value?: unknown }).value === key
    );
    const v = ofKey ? pair?.key : pair?.value;
    return isNode(v) && v.range ? where.lineAt(v.range[0]) : line;
  };
  for (const key of Object.keys(value)) {
    if (!RULE_KEYS.has(key)) {
      throw new InputError(
        `rule ${index}: unknown key "${key}" (expected ${[...RULE_KEYS].join(", ")})`,
        { file, line: keyLine(key, true) },
      );
    }
  }
  const text = (key: string, required: boolean): string | undefined => {
    const v = value[key];
    if (v === undefined || v === null) {
      if (required) throw at(`${key} is required`);
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") {
      throw new InputError(`rule ${index}: ${key} must be a non-empty string, got ${describe(v)}`, {
        file,
        line: keyLine(key),
      });
    }
    return v;
  };
  const apiVersion = text("apiVersion", true)!;
  checkApiVersion(apiVersion, (m) => new InputError(`rule ${index}: ${m}`, { file, line }));
  const kind = text("kind", true)!;
  if (kind.includes("*") && kind !== "*") throw at(`kind "${kind}": a kind is exact, or *`);
  const rule: RuleDefinition = {
    apiVersion,
    kind,
    current: text("current", true)!,
    fixtures: [],
    file,
    line,
    index,
    lines: {},
  };
  for (const key of ["inProgress", "failed", "message"] as const) {
    const v = text(key, false);
    if (v !== undefined) rule[key] = v;
  }
  for (const key of EXPRESSION_KEYS) if (rule[key] !== undefined) rule.lines[key] = keyLine(key);
  const docs = text("docs", false);
  if (docs !== undefined) rule.docs = docs;
  if (value.fixtures !== undefined) {
    if (!Array.isArray(value.fixtures)) {
      throw new InputError(`rule ${index}: fixtures must be a list`, {
        file,
        line: keyLine("fixtures"),
      });
    }
    const seq = isMap(node) ? node.get("fixtures", true) : undefined;
    const nodes = isSeq(seq) ? seq.items : [];
    const names = new Set<string>();
    value.fixtures.forEach((f, i) => {
      const n = nodes[i];
      const fLine = isNode(n) && n.range ? where.lineAt(n.range[0]) : keyLine("fixtures");
      const fixture = checkFixture(f, rule, { ...where, line: fLine });
      if (names.has(fixture.name)) {
        throw new InputError(`rule ${index}: fixture name "${fixture.name}" is used twice`, {
          file,
          line: fLine,
        });
      }
      names.add(fixture.name);
      rule.fixtures.push(fixture);
    });
  }
  return rule;
}

function checkFixture(value: unknown, rule: RuleDefinition, where: Where): RuleFixture {
  const { file, line, index } = where;
  const at = (what: string) => new InputError(`rule ${index}: fixture: ${what}`, { file, line });
  if (!isObject(value)) throw at(`expected a mapping, got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!FIXTURE_KEYS.has(key)) {
      throw at(`unknown key "${key}" (expected ${[...FIXTURE_KEYS].join(", ")})`);
    }
  }
  if (typeof value.name !== "string" || value.name === "") throw at("name is required");
  if (!ALL_STATUSES.includes(value.status as Status)) {
    throw at(`"${value.name}": status must be one of ${ALL_STATUSES.join(", ")}`);
  }
  if (value.message !== undefined && typeof value.message !== "string") {
    throw at(`"${value.name}": message must be a string`);
  }
  if (!isObject(value.object)) throw at(`"${value.name}": object must be a mapping`);
  const object: KubeObject = { ...value.object };
  const wildcard = rule.apiVersion.includes("*") || rule.kind === "*";
  for (const key of ["apiVersion", "kind"] as const) {
    if (typeof object[key] === "string") continue;
    if (wildcard) throw at(`"${value.name}": object needs ${key} (the rule has a wildcard)`);
    object[key] = rule[key];
  }
  const fixture: RuleFixture = { name: value.name, status: value.status as Status, object, line };
  if (typeof value.message === "string") fixture.message = value.message;
  return fixture;
}

/** Checks an `apiVersion` pattern: `group/version`, `v1`, or either part with `*`. */
function checkApiVersion(text: string, error: (message: string) => Error): void {
  const parts = text.split("/");
  if (parts.length > 2 || parts.some((p) => p === "")) {
    throw error(`apiVersion "${text}": expected group/version (or v1 for the core group)`);
  }
  if (!/^[a-z0-9*.-]+$/i.test(text.replace("/", ""))) {
    throw error(`apiVersion "${text}": only letters, digits, '.', '-' and '*' are allowed`);
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Loads rules from files, directories (their `*.yaml`, `*.yml` and `*.json` files, sorted by
 * name) and `-` (stdin), in order.
 *
 * @throws {InputError} for an unreadable path or a malformed file.
 *
 * @example
 * ```ts ignore
 * import { loadRuleFiles } from "@kstatus/kstatus";
 * const rules = await loadRuleFiles(["rules/"]);
 * ```
 */
export async function loadRuleFiles(
  paths: readonly string[],
  options: { readStdin?: StdinSource } = {},
): Promise<RuleDefinition[]> {
  const inputs = await readInputs(paths, {
    flag: "--rules ",
    readStdin: options.readStdin ??
      (() => Promise.reject(new InputError("--rules -: standard input is not available"))),
  });
  return inputs.flatMap(({ text, file }) => parseRuleFile(text, file));
}
