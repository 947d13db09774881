/**
 * The JSONPath of `kubectl wait --for=jsonpath=…`: one `{…}` action (kubectl's relaxed forms
 * `.a.b`, `a.b` and `{a.b}` too) with fields, `..` descent, `*`, indexes, slices, unions and
 * `[?(@.x == 'y')]` filters, evaluated with missing keys allowed, as client-go's `jsonpath`
 * package does for `kubectl wait`; its errors are worded as kubectl's.
 *
 * @module
 */

import { isObject } from "../fields.ts";

/** One step of a path. */
export type PathStep =
  | { type: "field"; names: string[] }
  | { type: "wildcard" }
  | { type: "descend" }
  | { type: "index"; indexes: number[] }
  | { type: "slice"; start?: number; end?: number; step?: number }
  | { type: "filter"; left: PathStep[]; op?: FilterOp; right?: PathStep[] | Literal };

/** Comparison operators of filters. */
export type FilterOp = "==" | "!=" | "<" | ">" | "<=" | ">=";

/** A literal on the right of a filter. */
export interface Literal {
  /** Its value. */
  literal: string | number | boolean | null;
}

/** A parsed path, with the text it came from (`{.status.phase}`). */
export interface JsonPath {
  /** The expression as kubectl normalises it: `{.status.phase}`. */
  readonly text: string;
  /** The steps from the object's root. */
  readonly steps: readonly PathStep[];
}

/** A JSONPath that does not parse; the message is kubectl's wording where kubectl has one. */
export class JsonPathError extends Error {
  /** @param message what is wrong */
  constructor(message: string) {
    super(message);
    this.name = "JsonPathError";
  }
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * Turns kubectl's relaxed spellings (`a.b`, `.a.b`, `{a.b}`, `{.a.b}`) into `{.a.b}`; `""`
 * stays `""`.
 */
export function relaxedJsonPath(text: string): string {
  if (text === "") return "";
  const m = RELAXED.exec(text);
  if (!m) {
    throw new JsonPathError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' " +
        "or '{.name1.name2}'",
    );
  }
  return `{.${m[1] ?? m[2]}}`;
}

/**
 * Parses a path in any of kubectl's spellings.
 *
 * @example
 * ```ts
 * import { evaluateJsonPath, parseJsonPath } from "./jsonpath.ts";
 * const path = parseJsonPath(`{.status.conditions[?(@.type=="Ready")].status}`);
 * evaluateJsonPath(path, { status: { conditions: [{ type: "Ready", status: "True" }] } });
 * // ["True"]
 * ```
 * @throws {JsonPathError}
 */
export function parseJsonPath(text: string): JsonPath {
  const relaxed = relaxedJsonPath(text.trim());
  if (relaxed === "") throw new JsonPathError("jsonpath expression cannot be empty");
  const body = relaxed.slice(1, -1);
  const parser = new Parser(body);
  const steps = parser.path(false);
  if (!parser.done()) parser.fail();
  return { text: relaxed, steps };
}

class Parser {
  #pos = 0;
  constructor(readonly src: string) {}

  done(): boolean {
    this.#space();
    return this.#pos >= this.src.length;
  }

  fail(what?: string): never {
    const ch = this.src[this.#pos];
    if (what) throw new JsonPathError(what);
    if (ch === undefined) throw new JsonPathError("unclosed action");
    const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new JsonPathError(`unrecognized character in action: U+${code} '${ch}'`);
  }

  #space(): void {
    while (this.src[this.#pos] === " ") this.#pos++;
  }

  #peek(s: string): boolean {
    return this.src.startsWith(s, this.#pos);
  }

  /** Steps until the end, or (in a filter) until an operator or `)`. */
  path(inFilter: boolean): PathStep[] {
    const steps: PathStep[] = [];
    for (;;) {
      if (this.#pos >= this.src.length) return steps;
      const ch = this.src[this.#pos];
      if (inFilter && (ch === " " || ch === ")" || "=!<>".includes(ch))) return steps;
      if (!inFilter && ch === " ") return steps;
      if (this.#peek("..")) {
        this.#pos += 2;
        steps.push({ type: "descend" });
        if (this.src[this.#pos] === "[") continue;
        steps.push(this.#field());
      } else if (ch === ".") {
        this.#pos++;
        if (this.src[this.#pos] === "*") {
          this.#pos++;
          steps.push({ type: "wildcard" });
        } else if (this.#pos < this.src.length && this.src[this.#pos] !== "[") {
          steps.push(this.#field());
        }
      } else if (ch === "[") {
        steps.push(this.#bracket());
      } else if (ch === "@" && steps.length === 0) {
        this.#pos++;
      } else if (steps.length === 0 && /[\w-]/.test(ch)) {
        steps.push(this.#field());
      } else {
        this.fail();
      }
    }
  }

  #field(): PathStep {
    let name = "";
    while (this.#pos < this.src.length) {
      const ch = this.src[this.#pos];
      if (ch === "\\" && this.src[this.#pos + 1] === ".") {
        name += ".";
        this.#pos += 2;
      } else if (/[\w\-/]/.test(ch)) {
        name += ch;
        this.#pos++;
      } else break;
    }
    if (!name) this.fail();
    return { type: "field", names: [name] };
  }

  #bracket(): PathStep {
    this.#pos++; // [
    const close = () => {
      this.#space();
      if (this.src[this.#pos] !== "]") this.fail("unterminated array");
      this.#pos++;
    };
    this.#space();
    if (this.#peek("?(")) {
      this.#pos += 2;
      const step = this.#filter();
      close();
      return step;
    }
    if (this.src[this.#pos] === "*") {
      this.#pos++;
      close();
      return { type: "wildcard" };
    }
    if (this.src[this.#pos] === "'" || this.src[this.#pos] === '"') {
      const names = [this.#quoted()];
      for (this.#space(); this.src[this.#pos] === ","; this.#space()) {
        this.#pos++;
        this.#space();
        names.push(this.#quoted());
      }
      close();
      return { type: "field", names };
    }
    const end = this.src.indexOf("]", this.#pos);
    if (end < 0) this.fail("unterminated array");
    const inner = this.src.slice(this.#pos, end).replaceAll(" ", "");
    this.#pos = end + 1;
    if (inner.includes(":")) {
      const parts = inner.split(":");
      if (parts.length > 3) throw new JsonPathError(`invalid array index ${inner}`);
      const [start, stop, step] = parts.map((p) => p === "" ? undefined : this.#int(p, inner));
      return { type: "slice", start, end: stop, step };
    }
    return { type: "index", indexes: inner.split(",").map((p) => this.#int(p, inner)) };
  }

  #int(text: string, whole: string): number {
    if (!/^-?\d+$/.test(text)) throw new JsonPathError(`invalid array index ${whole}`);
    return Number(text);
  }

  #quoted(): string {
    const quote = this.src[this.#pos];
    let out = "";
    this.#pos++;
    while (this.#pos < this.src.length && this.src[this.#pos] !== quote) {
      if (this.src[this.#pos] === "\\" && this.#pos + 1 < this.src.length) this.#pos++;
      out += this.src[this.#pos++];
    }
    if (this.#pos >= this.src.length) this.fail("unclosed quote");
    this.#pos++;
    return out;
  }

  #filter(): PathStep {
    this.#space();
    const left = this.#operand();
    this.#space();
    const op = (["==", "!=", "<=", ">=", "<", ">"] as const).find((o) => this.#peek(o));
    let step: PathStep;
    if (!op) {
      if (!Array.isArray(left)) this.fail("a filter needs a path, e.g. [?(@.name)]");
      step = { type: "filter", left };
    } else {
      this.#pos += op.length;
      this.#space();
      const right = this.#operand();
      // A literal on the left reads as the same comparison turned around.
      if (!Array.isArray(left)) {
        if (!Array.isArray(right)) this.fail("a filter compares a path, e.g. @.type=='Ready'");
        step = { type: "filter", left: right, op: FLIPPED[op], right: left };
      } else step = { type: "filter", left, op, right };
    }
    this.#space();
    if (this.src[this.#pos] !== ")") this.fail("unclosed filter, expected )");
    this.#pos++;
    return step;
  }

  #operand(): PathStep[] | Literal {
    const ch = this.src[this.#pos];
    if (ch === "@") return this.path(true);
    if (ch === "'" || ch === '"') return { literal: this.#quoted() };
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.src.slice(this.#pos));
    if (!m) this.fail();
    this.#pos += m[0].length;
    const word = m[0];
    return {
      literal: word === "true" ? true : word === "false" ? false : word === "null" ? null : Number(
        word,
      ),
    };
  }
}

const FLIPPED: Record<FilterOp, FilterOp> = {
  "==": "==",
  "!=": "!=",
  "<": ">",
  ">": "<",
  "<=": ">=",
  ">=": "<=",
};

/**
 * The values `path` selects in `root`, in document order; missing keys and indexes out of
 * range select nothing.
 */
export function evaluateJsonPath(path: JsonPath, root: unknown): unknown[] {
  return walk(path.steps, [root]);
}

function walk(steps: readonly PathStep[], start: unknown[]): unknown[] {
  let values = start;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of values) apply(step, v, next);
    values = next;
  }
  return values;
}

function apply(step: PathStep, v: unknown, out: unknown[]): void {
  switch (step.type) {
    case "field":
      if (!isObject(v)) return;
      for (const name of step.names) if (name in v) out.push(v[name]);
      return;
    case "wildcard":
      if (Array.isArray(v)) out.push(...v);
      else if (isObject(v)) out.push(...Object.keys(v).sort().map((k) => v[k]));
      return;
    case "descend":
      descend(v, out);
      return;
    case "index":
      if (!Array.isArray(v)) return;
      for (const i of step.indexes) {
        const at = i < 0 ? v.length + i : i;
        if (at >= 0 && at < v.length) out.push(v[at]);
      }
      return;
    case "slice": {
      if (!Array.isArray(v)) return;
      const norm = (i: number) => Math.min(Math.max(i < 0 ? v.length + i : i, 0), v.length);
      const from = norm(step.start ?? 0);
      const to = norm(step.end ?? v.length);
      const by = step.step ?? 1;
      if (by <= 0) return;
      for (let i = from; i < to; i += by) out.push(v[i]);
      return;
    }
    case "filter": {
      const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
      for (const item of items) if (matches(step, item)) out.push(item);
      return;
    }
  }
}

/** The value itself and everything below it (what `..` continues from). */
function descend(v: unknown, out: unknown[]): void {
  out.push(v);
  if (Array.isArray(v)) { for (const x of v) descend(x, out); }
  else if (isObject(v)) { for (const k of Object.keys(v).sort()) descend(v[k], out); }
}

function matches(step: Extract<PathStep, { type: "filter" }>, item: unknown): boolean {
  const left = walk(step.left, [item]);
  if (!step.op) return left.length > 0 && left.some((x) => x !== false && x !== null);
  const right = Array.isArray(step.right)
    ? walk(step.right, [item])
    : [(step.right as Literal).literal];
  if (left.length === 0 || right.length === 0) return false;
  return compare(left[0], step.op, right[0]);
}

function compare(a: unknown, op: FilterOp, b: unknown): boolean {
  if (op === "==") return a === b || formatJsonPathValue(a) === formatJsonPathValue(b);
  if (op === "!=") return !(a === b || formatJsonPathValue(a) === formatJsonPathValue(b));
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === ">" ? x > y : op === "<=" ? x <= y : x >= y;
}

/** A value as kubectl prints one it compares (Go's `%v` of the decoded JSON). */
export function formatJsonPathValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** What checking a path against an object found. */
export interface JsonPathCheck {
  /** True when the wanted value (or, without one, a non-empty value) is there. */
  met: boolean;
  /** The value found, formatted (absent when nothing matched). */
  found?: string;
  /** kubectl's error when the path selects several values or an object where a value is wanted. */
  error?: string;
}

/**
 * `kubectl wait --for=jsonpath=…` on one object: the path must select one value; with `want`
 * that value (formatted as kubectl does, spaces trimmed) must equal it; without, it must be
 * present and not empty (`""`, `[]`, `{}` and `null` are empty).
 */
export function checkJsonPath(
  path: JsonPath,
  want: string | undefined,
  obj: unknown,
): JsonPathCheck {
  const values = evaluateJsonPath(path, obj);
  if (values.length === 0) return { met: false };
  if (values.length > 1) {
    return { met: false, error: "given jsonpath expression matches more than one value" };
  }
  const [value] = values;
  const found = formatJsonPathValue(value);
  if (want === undefined) return { met: !isEmpty(value), found };
  if (Array.isArray(value) || isObject(value)) {
    return {
      met: false,
      found,
      error: "jsonpath leads to a nested object or list which is not supported",
    };
  }
  return { met: found.trim() === want.trim(), found };
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}
