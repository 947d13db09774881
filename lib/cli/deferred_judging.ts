/**
 * What lets `wait` and `status` start without the CEL library and the built-in rule pack (some
 * 2.5 MB of peak memory in the Bun binary, scripts/bench_memory.ts) when nothing on the command
 * line needs them: they load once an object read from the cluster does (a kind the pack covers,
 * or a `cel=` goal in its `kstatus.dev/for` annotation). Reads are asynchronous, so each object
 * is prepared before the engine judges it, which it does synchronously.
 *
 * @module
 */

import type { ClusterReader, ClusterReaderFactory } from "../cluster/types.ts";
import { objectChoice } from "../goals/annotations.ts";
import type { CelSupport } from "../goals/check.ts";
import type { KubeObject } from "../types.ts";

/** CEL support that loads on demand: `cel` may be used once `ensure()` has resolved. */
export interface DeferredCel {
  /** Delegates to the loaded support; throws an internal error before `ensure()` resolved. */
  cel: CelSupport;
  /** Loads the support (once). */
  ensure(): Promise<void>;
}

/** CEL support whose `load` runs at the first `ensure()`. */
export function deferredCel(load: () => Promise<CelSupport>): DeferredCel {
  let loaded: CelSupport | undefined;
  let loading: Promise<void> | undefined;
  const get = () => {
    if (!loaded) throw new Error("internal: the CEL support was used before it was loaded");
    return loaded;
  };
  return {
    cel: {
      get compiler() {
        return get().compiler;
      },
      variables: (obj) => get().variables(obj),
      isAbsentField: (e) => get().isAbsentField(e),
    },
    ensure: () =>
      loading ??= load().then((support) => {
        loaded = support;
      }),
  };
}

/** True when `obj`'s own goal (`kstatus.dev/for`) is a CEL expression. */
export function hasCelGoal(obj: KubeObject): boolean {
  try {
    return objectChoice(obj)?.goal?.type === "cel";
  } catch {
    return false; // a malformed annotation: the judge reports it, no CEL needed
  }
}

/**
 * Readers from `factory` whose objects have been through `prepare` (awaited when it returns a
 * promise) before they are handed on.
 */
export function preparedReaders(
  factory: ClusterReaderFactory,
  prepare: (obj: KubeObject) => Promise<unknown> | undefined,
): ClusterReaderFactory {
  const each = async (objects: KubeObject[]) => {
    const pending = objects.map(prepare).filter((p) => p !== undefined);
    if (pending.length > 0) await Promise.all(pending);
    return objects;
  };
  return async (args) => {
    const inner: ClusterReader = await factory(args);
    const reader: ClusterReader = {
      get: async (id, options) => (await each([await inner.get(id, options)]))[0],
      listNamespaceScoped: async (gk, namespace, selector, options) =>
        each(await inner.listNamespaceScoped(gk, namespace, selector, options)),
      listClusterScoped: async (gk, selector, options) =>
        each(await inner.listClusterScoped(gk, selector, options)),
      sync: (options) => inner.sync(options),
    };
    const { listControlledBy, nextChange, close } = inner;
    if (listControlledBy) {
      reader.listControlledBy = async (gk, namespace, ownerUid, options) =>
        each(await listControlledBy.call(inner, gk, namespace, ownerUid, options));
    }
    if (nextChange) reader.nextChange = (options) => nextChange.call(inner, options);
    if (close) reader.close = () => close.call(inner);
    return reader;
  };
}
