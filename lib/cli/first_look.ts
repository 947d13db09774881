/**
 * What the first look at the resources can already tell: a namespace that does not exist
 * (nothing in it can ever be found: bad input, said at once as kubectl says it), and resources
 * not found yet (a note: they will be waited for, which is right after `kubectl apply` and a
 * typo otherwise).
 *
 * @module
 */

import { isNotFound } from "../cluster/errors.ts";
import { resourceRef } from "../printers/format.ts";
import { escapeControl } from "../text/escape.ts";
import type { ResourceStatus } from "../types.ts";
import type { Connection } from "./connection.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";

/**
 * Exit 3 naming the first of `namespaces` that does not exist, or `undefined`. A namespace that
 * cannot be read (no rights to get namespaces, a network problem) is not reported here: the wait
 * goes on and says what it can.
 */
export async function missingNamespace(
  conn: Connection,
  namespaces: Iterable<string>,
  signal?: AbortSignal,
): Promise<CliExit | undefined> {
  const distinct = [...new Set(namespaces)].filter((ns) => ns !== "");
  if (distinct.length === 0) return undefined;
  let mapping;
  try {
    mapping = await conn.api.mapper.mapping({ group: "", kind: "Namespace" }, { signal });
  } catch {
    return undefined;
  }
  for (const ns of distinct) {
    try {
      await conn.api.get(mapping, "", ns, { signal });
    } catch (e) {
      if (isNotFound(e)) {
        return new CliExit(ExitCode.BadInput, `error: namespace "${escapeControl(ns)}" not found`);
      }
    }
  }
  return undefined;
}

/** The namespaces of the resources not found. */
export function namespacesOfNotFound(statuses: readonly ResourceStatus[]): string[] {
  return statuses.filter((s) => s.status === "NotFound").map((s) => s.identifier.namespace);
}

/**
 * The note for resources not found at the first look (for `Reporter.notice`, which escapes it
 * and marks it `note:`), or `undefined` when there are none.
 */
export function notFoundNote(statuses: readonly ResourceStatus[]): string | undefined {
  const missing = statuses.filter((s) => s.status === "NotFound" && !s.error);
  if (missing.length === 0) return undefined;
  const shown = missing.slice(0, 3).map((s) => resourceRef(s.identifier));
  const more = missing.length > shown.length ? ` and ${missing.length - shown.length} more` : "";
  const verb = missing.length === 1 ? "does not exist yet; waiting for it" : "do not exist yet; " +
    "waiting for them";
  return `${shown.join(", ")}${more} ${verb} to be created`;
}
