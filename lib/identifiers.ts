/**
 * Identifiers from manifests: which objects to watch, with the namespace
 * defaulted for namespaced kinds as kubectl does.
 *
 * @module
 */

import { isCancellation, isNoMatch } from "./cluster/errors.ts";
import type { CallOptions, RestMapper } from "./cluster/types.ts";
import { InputError } from "./errors.ts";
import { lookup } from "./fields.ts";
import { groupKindKey, identifierKey, identifierOf } from "./groupkind.ts";
import type { KubeObject, ObjectIdentifier } from "./types.ts";

/** Options of {@linkcode identifiersFromObjects}. */
export interface IdentifierOptions extends CallOptions {
  /** Namespace for namespaced objects that name none (the context's). */
  defaultNamespace: string;
  /** Tells namespaced kinds from cluster-scoped ones. */
  mapper: RestMapper;
}

/**
 * The identifiers of `objects`, in order, without duplicates. A namespaced
 * object without a namespace gets `defaultNamespace`; a cluster-scoped one
 * loses any namespace it names. A kind the cluster does not serve yet takes
 * its scope from a CustomResourceDefinition among `objects`, else is taken
 * as namespaced.
 *
 * @throws {InputError} for an object without `metadata.name`.
 *
 * @example
 * ```ts
 * import { createMemoryCluster, identifiersFromObjects } from "@kstatus/kstatus";
 * const { mapper } = createMemoryCluster();
 * const ids = await identifiersFromObjects(
 *   [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } }],
 *   { defaultNamespace: "default", mapper },
 * );
 * // [{ group: "apps", kind: "Deployment", namespace: "default", name: "web" }]
 * ```
 */
export async function identifiersFromObjects(
  objects: readonly KubeObject[],
  options: IdentifierOptions,
): Promise<ObjectIdentifier[]> {
  return await identifiersFromStream(
    (async function* () {
      for (const object of objects) yield { object };
    })(),
    options,
  );
}

/**
 * The identifiers of a stream of objects (as {@linkcode identifiersFromObjects}), keeping only
 * the identifiers and the scopes CustomResourceDefinitions declare, never the objects: a large
 * manifest is read in flat memory. The mapper is asked once per kind.
 *
 * @throws {InputError} for an object without `metadata.name`, naming its file and line.
 */
export async function identifiersFromStream(
  objects: AsyncIterable<{ object: KubeObject; file?: string; line?: number }>,
  options: IdentifierOptions,
): Promise<ObjectIdentifier[]> {
  const crdScopes = new Map<string, boolean>();
  const ids: ObjectIdentifier[] = [];
  for await (const { object: obj, file, line } of objects) {
    const id = identifierOf(obj);
    if (!id.name) {
      throw new InputError(`${groupKindKey(id)} object has no metadata.name`, { file, line });
    }
    ids.push(id);
    if (id.group !== "apiextensions.k8s.io" || id.kind !== "CustomResourceDefinition") continue;
    const group = lookup(obj, ["spec", "group"]);
    const kind = lookup(obj, ["spec", "names", "kind"]);
    if (typeof group === "string" && typeof kind === "string") {
      crdScopes.set(groupKindKey({ group, kind }), lookup(obj, ["spec", "scope"]) !== "Cluster");
    }
  }
  const scopes = new Map<string, boolean>();
  for (const id of ids) {
    const key = groupKindKey(id);
    if (scopes.has(key)) continue;
    let namespaced: boolean;
    try {
      namespaced = (await options.mapper.mapping(id, { signal: options.signal })).namespaced;
    } catch (e) {
      if (isCancellation(e, options.signal) || !isNoMatch(e)) throw e;
      namespaced = crdScopes.get(key) ?? true;
    }
    scopes.set(key, namespaced);
  }
  const out = new Map<string, ObjectIdentifier>();
  for (const id of ids) {
    if (scopes.get(groupKindKey(id))) id.namespace ||= options.defaultNamespace;
    else id.namespace = "";
    out.set(identifierKey(id), id);
  }
  return [...out.values()];
}
