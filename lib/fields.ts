/**
 * Field access on unstructured objects with the Go original's semantics:
 * integer-only reads, defaults for wrong types, and strict reads that fail on
 * a present value of the wrong type.
 *
 * @module
 */

import { ComputeError } from "./errors.ts";

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Walks `path`; `undefined` when any step is missing or not an object. */
export function lookup(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** 2^63: whole numbers at least this large (in magnitude) do not decode as int64. */
const INT64_LIMIT = 2 ** 63;

/**
 * True when `v` is what Go decodes as an integer (a float such as 1.5 is not).
 * The API machinery makes a JSON number an int64 only when it is written
 * without fraction or exponent and fits int64: JSON writes a whole number of
 * 1e21 or more with an exponent (`1e+21`), and one of 2^63 or more does not
 * fit, so both are floats to the original.
 */
export function isInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && Math.abs(v) < INT64_LIMIT;
}

/**
 * `a - b` of two integer fields as the original computes it, in Go's 64-bit
 * int: exact beyond 2^53 (where a `number` result would round) and wrapping
 * around on overflow. Each operand is taken as its JSON digits (what Go
 * decoded), which beyond 2^53 can differ from the double's exact value.
 */
export function goSub(a: number, b: number): bigint {
  return BigInt.asIntN(64, BigInt(String(a)) - BigInt(String(b)));
}

/** Reads an integer; anything else (float, string, null, missing) gives `fallback`. */
export function intField(obj: unknown, path: readonly string[], fallback: number): number {
  const v = lookup(obj, path);
  return isInteger(v) ? v : fallback;
}

/** Reads a string; anything else gives `fallback`. */
export function stringField(obj: unknown, path: readonly string[], fallback: string): string {
  const v = lookup(obj, path);
  return typeof v === "string" ? v : fallback;
}

/** Reads a boolean; anything else gives `fallback`. */
export function boolField(obj: unknown, path: readonly string[], fallback: boolean): boolean {
  const v = lookup(obj, path);
  return typeof v === "boolean" ? v : fallback;
}

/**
 * Strict read, like Go's `unstructured.NestedFieldNoCopy` with a type check:
 * a missing field (or a `null` on the way) is `undefined`, a present value of
 * the wrong type (including a final `null`) throws.
 */
function strictField<T>(
  obj: unknown,
  path: readonly string[],
  check: (v: unknown) => v is T,
  typeName: string,
): T | undefined {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || cur === undefined) return undefined;
    if (!isObject(cur)) {
      throw new ComputeError(
        `.${path.slice(0, i + 1).join(".")} accessor error: ${describe(cur)} is of the type ${
          goType(cur)
        }, expected map[string]interface{}`,
      );
    }
    if (!(path[i] in cur)) return undefined;
    cur = cur[path[i]];
  }
  if (!check(cur)) {
    throw new ComputeError(
      `.${path.join(".")} accessor error: ${describe(cur)} is of the type ${
        goType(cur)
      }, expected ${typeName}`,
    );
  }
  return cur;
}

function describe(v: unknown): string {
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function goType(v: unknown): string {
  if (v === null) return "<nil>";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return isInteger(v) ? "int64" : "float64";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/** Strict integer read (Go `NestedInt64`). */
export function strictInt(obj: unknown, path: readonly string[]): number | undefined {
  return strictField(obj, path, isInteger, "int64");
}

/** Strict string read (Go `NestedString`). */
export function strictString(obj: unknown, path: readonly string[]): string | undefined {
  return strictField(obj, path, (v): v is string => typeof v === "string", "string");
}
