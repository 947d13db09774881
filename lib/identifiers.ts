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
 * manifest is read in flat memory. The mapper is asked once per kind. `onIdentifier` gets each
 * element with its identifier as soon as that is known: at once for kinds the cluster serves, at
 * the end for the others (their scope may come from a CRD later in the stream).
 *
 * @throws {InputError} for an object without `metadata.name`, naming its file and line.
 */
export async function identifiersFromStream<
  T extends { object: KubeObject; file?: string; line?: number },
>(
  objects: AsyncIterable<T>,
  options: IdentifierOptions & { onIdentifier?: (item: T, id: ObjectIdentifier) => void },
): Promise<ObjectIdentifier[]> {
  const crdScopes = new Map<string, boolean>();
  // Per kind: namespaced or not, or undefined when the cluster does not serve it (yet).
  const scopes = new Map<string, boolean | undefined>();
  const ids: ObjectIdentifier[] = [];
  const unserved: Array<{ item: T; id: ObjectIdentifier }> = [];
  const scopeOf = async (id: ObjectIdentifier): Promise<boolean | undefined> => {
    const key = groupKindKey(id);
    if (scopes.has(key)) return scopes.get(key);
    let namespaced: boolean | undefined;
    try {
      namespaced = (await options.mapper.mapping(id, { signal: options.signal })).namespaced;
    } catch (e) {
      if (isCancellation(e, options.signal) || !isNoMatch(e)) throw e;
    }
    scopes.set(key, namespaced);
    return namespaced;
  };
  const place = (id: ObjectIdentifier, namespaced: boolean) => {
    if (namespaced) id.namespace ||= options.defaultNamespace;
    else id.namespace = "";
  };
  for await (const item of objects) {
    const { object: obj, file, line } = item;
    const id = identifierOf(obj);
    if (!id.name) {
      throw new InputError(`${groupKindKey(id)} object has no metadata.name`, { file, line });
    }
    ids.push(id);
    if (id.group === "apiextensions.k8s.io" && id.kind === "CustomResourceDefinition") {
      const group = lookup(obj, ["spec", "group"]);
      const kind = lookup(obj, ["spec", "names", "kind"]);
      if (typeof group === "string" && typeof kind === "string") {
        crdScopes.set(groupKindKey({ group, kind }), lookup(obj, ["spec", "scope"]) !== "Cluster");
      }
    }
    const namespaced = await scopeOf(id);
    if (namespaced === undefined) {
      // Kept for the end only when someone wants the element; the identifier is kept anyway.
      if (options.onIdentifier) unserved.push({ item, id });
      continue;
    }
    place(id, namespaced);
    options.onIdentifier?.(item, id);
  }
  for (const id of ids) {
    const key = groupKindKey(id);
    if (scopes.get(key) === undefined) place(id, crdScopes.get(key) ?? true);
  }
  for (const { item, id } of unserved) options.onIdentifier!(item, id);
  const out = new Map<string, ObjectIdentifier>();
  for (const id of ids) out.set(identifierKey(id), id);
  return [...out.values()];
}
