/**
 * The resources a cluster command is about, from `-f` manifests,
 * `KIND/NAME` arguments and `-l` selectors over `--kinds`.
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { identifierKey } from "../groupkind.ts";
import { identifiersFromStream } from "../identifiers.ts";
import type { StdinSource } from "../manifest_input.ts";
import type { ManifestObject } from "../manifest_objects.ts";
import type { ObjectIdentifier } from "../types.ts";
import type { Connection } from "./connection.ts";

/** Where the targets come from. */
export interface TargetFlags {
  /** `-f` paths (files, directories, `-`). */
  files: string[];
  /** Read directories recursively. */
  recursive?: boolean;
  /** `KIND/NAME` arguments. */
  args: string[];
  /** `-l` label selector. */
  selector?: string;
  /** `--kinds` for the selector, comma-separated (`deploy,sts`). */
  kinds?: string;
  /** `-A`: select across all namespaces. */
  allNamespaces?: boolean;
}

/** Reads stdin for `-f -`. */
export type StdinReader = StdinSource;

/** Options of {@linkcode resolveTargets}. */
export interface ResolveOptions {
  /** Reads stdin for `-f -`. */
  readStdin?: StdinReader;
  /** Aborting cancels discovery and lists. */
  signal?: AbortSignal;
  /** Called for each manifest object with its identifier (per-object annotations). */
  onManifest?: (manifest: ManifestObject, id: ObjectIdentifier) => void;
  /** Filled with the `--kinds` entries the selector matched nothing of (`--for create`). */
  emptyKinds?: string[];
}

/**
 * Resolves every target to identifiers, in the order given, without duplicates.
 *
 * @throws {InputError} for malformed arguments or manifests.
 */
export async function resolveTargets(
  flags: TargetFlags,
  conn: Connection,
  options: ResolveOptions = {},
): Promise<ObjectIdentifier[]> {
  if (flags.files.length === 0 && flags.args.length === 0 && !flags.selector) {
    throw new InputError("nothing to wait for: give -f FILE|DIR|-, KIND/NAME arguments, or -l");
  }
  if (flags.selector && !flags.kinds) {
    throw new InputError("-l needs --kinds, e.g. --kinds deploy,sts");
  }
  const out = new Map<string, ObjectIdentifier>();
  const add = (id: ObjectIdentifier) => out.set(identifierKey(id), id);

  if (flags.files.length > 0) {
    // Loaded when needed: the YAML readers stay out of the start-up of every other command.
    const { streamManifests } = await import("../manifests.ts");
    const manifests = streamManifests(flags.files, {
      recursive: flags.recursive,
      readStdin: options.readStdin,
      signal: options.signal,
    });
    const ids = await identifiersFromStream(manifests, {
      defaultNamespace: conn.namespace,
      mapper: conn.api.mapper,
      signal: options.signal,
      onIdentifier: options.onManifest,
    });
    ids.forEach(add);
  }

  for (const arg of flags.args) {
    const slash = arg.indexOf("/");
    if (slash <= 0 || slash === arg.length - 1 || arg.indexOf("/", slash + 1) >= 0) {
      throw new InputError(`argument "${arg}": expected KIND/NAME, e.g. deploy/web`);
    }
    const gk = await conn.resolveKind(arg.slice(0, slash), options.signal);
    const mapping = await conn.api.mapper.mapping(gk, { signal: options.signal });
    add({
      ...gk,
      namespace: mapping.namespaced ? conn.namespace : "",
      name: arg.slice(slash + 1),
    });
  }

  if (flags.selector) {
    for (const kindText of flags.kinds!.split(",").map((k) => k.trim()).filter(Boolean)) {
      const gk = await conn.resolveKind(kindText, options.signal);
      const mapping = await conn.api.mapper.mapping(gk, { signal: options.signal });
      const namespace = mapping.namespaced && !flags.allNamespaces ? conn.namespace : "";
      const { items } = await conn.api.list(mapping, namespace, {
        labelSelector: flags.selector,
        signal: options.signal,
      });
      if (items.length === 0) options.emptyKinds?.push(kindText);
      for (const item of items) {
        const meta = (item.metadata ?? {}) as { name?: string; namespace?: string };
        add({
          group: gk.group,
          kind: gk.kind,
          namespace: mapping.namespaced ? meta.namespace ?? namespace : "",
          name: meta.name ?? "",
        });
      }
    }
  }
  return [...out.values()];
}
