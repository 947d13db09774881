/**
 * What makes a parsed document a Kubernetes object: a mapping with `apiVersion` and `kind`, with
 * `List` kinds expanded into their items. Shared by the YAML and the JSON readers.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { isObject } from "./fields.ts";
import type { KubeObject } from "./types.ts";

/** An object read from a manifest, with where it came from. */
export interface ManifestObject {
  /** The object. */
  object: KubeObject;
  /** File it was read from, `-` for stdin. */
  file: string;
  /** 1-based line where its document (or list item) starts. */
  line: number;
}

/** The line of a list's item `i` (when known), and the lines of that item's own items. */
export type ItemLines = (i: number) => { line?: number; items?: ItemLines };

/**
 * Checks that `value` is a Kubernetes object and expands it if it is a `List`.
 *
 * @throws {InputError} naming `file` and `line`.
 */
export function checkObject(
  value: unknown,
  line: number,
  file: string,
  itemLines?: ItemLines,
): ManifestObject[] {
  const object = checkIdentity(value, line, file);
  if (!isListKind(object.kind) || !("items" in object)) return [{ object, file, line }];
  if (!Array.isArray(object.items)) {
    throw new InputError(`${object.kind}: items is not a list`, { file, line });
  }
  const itemKind = object.kind.slice(0, -"List".length);
  return object.items.flatMap((item, i) => {
    const where = itemLines?.(i) ?? {};
    const filled = withListIdentity(item, object.apiVersion, itemKind);
    return checkObject(filled, where.line ?? line, file, where.items);
  });
}

/**
 * Checks that `value` is a mapping with a non-empty `apiVersion` and `kind`.
 *
 * @throws {InputError} naming `file` and `line`.
 */
export function checkIdentity(
  value: unknown,
  line: number,
  file: string,
): KubeObject & { apiVersion: string; kind: string } {
  if (!isObject(value)) {
    const what = Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`;
    throw new InputError(`expected a Kubernetes object (a mapping), got ${what}`, { file, line });
  }
  for (const field of ["apiVersion", "kind"] as const) {
    if (!isNonEmptyString(value[field])) {
      throw new InputError(`object has no ${field}`, { file, line });
    }
  }
  return value as KubeObject & { apiVersion: string; kind: string };
}

/** `List`, `DeploymentList`: a kind whose `items` are objects to expand. */
export function isListKind(kind: unknown): kind is string {
  return typeof kind === "string" && kind.endsWith("List");
}

/**
 * The API server leaves `apiVersion` and `kind` out of a typed list's items (a `DeploymentList`
 * holds Deployments); like kubectl, take them from the list when an item has neither.
 */
export function withListIdentity(item: unknown, apiVersion: string, itemKind: string): unknown {
  if (
    !itemKind || !isObject(item) || isNonEmptyString(item.apiVersion) ||
    isNonEmptyString(item.kind)
  ) {
    return item;
  }
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = item;
  return { apiVersion, kind: itemKind, ...rest };
}

/** An object that names its own `apiVersion` and `kind` (a list's item that needs nothing from it). */
export function isSelfDescribing(v: unknown): boolean {
  return isObject(v) && isNonEmptyString(v.apiVersion) && isNonEmptyString(v.kind);
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}
