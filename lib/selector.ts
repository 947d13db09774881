/**
 * Label selectors: matching objects' labels against a `LabelSelector`
 * (`matchLabels` and `matchExpressions`) and printing it in the API's query
 * syntax.
 *
 * @module
 */

import { KstatusError } from "./errors.ts";
import { isObject } from "./fields.ts";

/** A compiled label selector. */
export interface Selector {
  /** True when `labels` satisfy every requirement. */
  matches(labels: Record<string, string>): boolean;
  /** The selector in `labelSelector=` query syntax (`""` matches everything). */
  toString(): string;
}

/**
 * A selector could not be understood.
 *
 * @example
 * ```ts
 * import { parseSelector, SelectorError } from "@kstatus/kstatus";
 * try {
 *   parseSelector("app in web");
 * } catch (e) {
 *   console.log(e instanceof SelectorError); // true
 * }
 * ```
 */
export class SelectorError extends KstatusError {
  /** Where in the selector text the problem starts (0-based), when known. */
  readonly offset?: number;
  /** Makes an error; `offset` is where in the selector the problem starts. */
  constructor(message: string, options: { offset?: number } = {}) {
    super(message);
    this.offset = options.offset;
  }
}

interface Requirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values: string[];
}

/**
 * Compiles a `LabelSelector` object (as in `spec.selector`). An empty
 * selector `{}` matches everything.
 *
 * @throws {SelectorError} for an unknown operator or malformed fields.
 *
 * @example
 * ```ts
 * import { compileLabelSelector } from "@kstatus/kstatus";
 * const sel = compileLabelSelector({ matchLabels: { app: "web" } });
 * sel.matches({ app: "web", tier: "front" }); // true
 * sel.toString(); // "app=web"
 * ```
 */
export function compileLabelSelector(selector: unknown): Selector {
  if (!isObject(selector)) throw new SelectorError("label selector is not an object");
  const reqs: Requirement[] = [];
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObject(matchLabels)) throw new SelectorError("matchLabels is not an object");
    for (const [key, value] of Object.entries(matchLabels)) {
      if (typeof value !== "string") throw new SelectorError(`matchLabels.${key} is not a string`);
      reqs.push({ key, operator: "In", values: [value] });
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) {
      throw new SelectorError("matchExpressions is not a list");
    }
    for (const expr of matchExpressions) {
      if (!isObject(expr) || typeof expr.key !== "string") {
        throw new SelectorError("matchExpressions entry has no key");
      }
      const op = expr.operator;
      const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
      if (op === "In" || op === "NotIn") {
        if (values.length === 0) {
          throw new SelectorError(`for '${op}' operator, values set can't be empty`);
        }
        reqs.push({ key: expr.key, operator: op, values });
      } else if (op === "Exists" || op === "DoesNotExist") {
        if (values.length > 0) {
          throw new SelectorError(`values set must be empty for '${op}'`);
        }
        reqs.push({ key: expr.key, operator: op, values });
      } else {
        throw new SelectorError(`"${String(op)}" is not a valid label selector operator`);
      }
    }
  }
  return requirementsSelector(reqs);
}

function requirementsSelector(reqs: Requirement[]): Selector {
  const sorted = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    matches(labels) {
      return reqs.every((r) => {
        const has = Object.hasOwn(labels, r.key);
        switch (r.operator) {
          case "In":
            return has && r.values.includes(labels[r.key]);
          case "NotIn":
            return !has || !r.values.includes(labels[r.key]);
          case "Exists":
            return has;
          case "DoesNotExist":
            return !has;
        }
      });
    },
    toString() {
      return sorted.map((r) => {
        switch (r.operator) {
          case "In":
            return r.values.length === 1
              ? `${r.key}=${r.values[0]}`
              : `${r.key} in (${[...r.values].sort().join(",")})`;
          case "NotIn":
            return `${r.key} notin (${[...r.values].sort().join(",")})`;
          case "Exists":
            return r.key;
          case "DoesNotExist":
            return `!${r.key}`;
        }
      }).join(",");
    },
  };
}

/**
 * Parses a selector in query syntax, as typed after `-l`: `app=web`,
 * `tier!=db`, `env in (a,b)`, `env notin (c)`, `key`, `!key`, comma-separated.
 *
 * @throws {SelectorError} for a malformed selector.
 *
 * @example
 * ```ts
 * import { parseSelector } from "@kstatus/kstatus";
 * const selector = parseSelector("app=web,tier notin (db)");
 * selector.matches({ app: "web", tier: "front" }); // true
 * ```
 */
export function parseSelector(text: string): Selector {
  const reqs: Requirement[] = [];
  const notEquals: Array<[string, string]> = [];
  const parts = text.trim() === "" ? [] : splitTopLevel(text);
  for (const { text: part, offset } of parts) {
    const s = part.trim();
    const at = offset + part.length - part.trimStart().length;
    if (!s) {
      throw new SelectorError(
        `empty requirement at character ${at + 1}: expected a label after ","`,
        { offset: at },
      );
    }
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(s))) {
      // Empty values are real values (a label may be ""): `(,a)` is {"", a}, `()` is {""}.
      const values = m[3].split(",").map((v) => v.trim());
      const bad = values.find((v) => !/^[\w.-]*$/.test(v));
      if (bad !== undefined) {
        throw new SelectorError(`invalid label value at character ${at + 1}: "${bad}"`, {
          offset: at,
        });
      }
      reqs.push({ key: m[1], operator: m[2] === "in" ? "In" : "NotIn", values });
    } else if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(s))) {
      notEquals.push([m[1], m[2]]);
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(s))) {
      reqs.push({ key: m[1], operator: "In", values: [m[2]] });
    } else if ((m = /^!\s*([\w./-]+)$/.exec(s))) {
      reqs.push({ key: m[1], operator: "DoesNotExist", values: [] });
    } else if ((m = /^([\w./-]+)$/.exec(s))) {
      reqs.push({ key: m[1], operator: "Exists", values: [] });
    } else {
      throw new SelectorError(`unable to parse requirement at character ${at + 1}: "${s}"`, {
        offset: at,
      });
    }
  }
  for (const [key, value] of notEquals) reqs.push({ key, operator: "NotIn", values: [value] });
  const base = requirementsSelector(reqs);
  return {
    matches: base.matches,
    // Keep what the user typed: the server understands it and it reads better in errors.
    toString: () => text.trim(),
  };
}

function splitTopLevel(text: string): Array<{ text: string; offset: number }> {
  const parts: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push({ text: text.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), offset: start });
  return parts;
}

/**
 * The labels of an object (`metadata.labels`), non-string values dropped.
 *
 * @example
 * ```ts
 * import { labelsOf } from "@kstatus/kstatus";
 * labelsOf({ metadata: { labels: { app: "web" } } }); // { app: "web" }
 * ```
 */
export function labelsOf(obj: Record<string, unknown>): Record<string, string> {
  const meta = obj.metadata;
  if (!isObject(meta) || !isObject(meta.labels)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.labels)) if (typeof v === "string") out[k] = v;
  return out;
}
