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
import { pathSegmentProblem } from "../kube/path_segment.ts";

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
  /** `--all`: every object of the kinds. */
  all?: boolean;
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
  // kubectl's TYPE NAME... form: the first argument without a slash names the type (or types,
  // comma-separated, for -l and --all) of the names after it.
  let args = flags.args;
  let kinds = flags.kinds;
  if (args.length > 0 && !args[0].includes("/")) {
    const [type, ...names] = args;
    const mixed = names.find((n) => n.includes("/"));
    if (mixed !== undefined) {
      throw new InputError(
        `argument "${mixed}": give TYPE NAME... or KIND/NAME..., not both (${type} was taken as a TYPE)`,
      );
    }
    if (kinds !== undefined) {
      throw new InputError(`give the kinds once: TYPE ${type} or --kinds ${kinds}, not both`);
    }
    if (names.length === 0 && !flags.selector && !flags.all) {
      throw new InputError(
        `"${type}" is a TYPE: name the objects (${type} web api), or select them with -l or --all`,
      );
    }
    if (names.length > 0 && type.includes(",")) {
      throw new InputError(`names need one TYPE, not "${type}": use KIND/NAME for several kinds`);
    }
    if (names.length > 0 && (flags.selector || flags.all)) {
      throw new InputError(`give names or ${flags.all ? "--all" : "-l"}, not both`);
    }
    args = names.map((n) => `${type}/${n}`);
    if (names.length === 0) kinds = type;
  }
  if (flags.files.length === 0 && args.length === 0 && !flags.selector && !flags.all) {
    throw new InputError(
      "nothing to wait for: give -f FILE|DIR|-, KIND/NAME or TYPE NAME arguments, -l or --all",
    );
  }
  if (flags.selector && !kinds) {
    throw new InputError("-l needs --kinds (or a TYPE), e.g. --kinds deploy,sts");
  }
  if (flags.all && !kinds) {
    throw new InputError("--all needs --kinds (or a TYPE), e.g. kstatus wait deploy --all");
  }
  if (flags.all && flags.selector) {
    throw new InputError("give -l or --all, not both (--all selects every object)");
  }
  const nsProblem = pathSegmentProblem(conn.namespace);
  if (nsProblem) throw new InputError(`namespace ${JSON.stringify(conn.namespace)} ${nsProblem}`);
  const out = new Map<string, ObjectIdentifier>();
  const add = (id: ObjectIdentifier) => out.set(identifierKey(id), id);

  if (flags.files.length > 0) {
    // Loaded when needed: the YAML readers stay out of the start-up of every other command.
    const { streamManifests } = await import("../manifest_stream.ts");
    const manifests = streamManifests(flags.files, {
      recursive: flags.recursive,
      readStdin: options.readStdin,
      signal: options.signal,
    });
    const ids = await identifiersFromStream(checkedNames(manifests), {
      defaultNamespace: conn.namespace,
      mapper: conn.api.mapper,
      signal: options.signal,
      onIdentifier: options.onManifest,
    });
    ids.forEach(add);
  }

  for (const arg of args) {
    const slash = arg.indexOf("/");
    if (slash <= 0 || slash === arg.length - 1 || arg.indexOf("/", slash + 1) >= 0) {
      throw new InputError(`argument "${arg}": expected KIND/NAME, e.g. deploy/web`);
    }
    const problem = pathSegmentProblem(arg.slice(slash + 1));
    if (problem) throw new InputError(`argument "${arg}": the name ${problem}`);
    const gk = await conn.resolveKind(arg.slice(0, slash), options.signal);
    const mapping = await conn.api.mapper.mapping(gk, { signal: options.signal });
    add({
      ...gk,
      namespace: mapping.namespaced ? conn.namespace : "",
      name: arg.slice(slash + 1),
    });
  }

  if (flags.selector || flags.all) {
    for (const kindText of kinds!.split(",").map((k) => k.trim()).filter(Boolean)) {
      const gk = await conn.resolveKind(kindText, options.signal);
      const mapping = await conn.api.mapper.mapping(gk, { signal: options.signal });
      const namespace = mapping.namespaced && !flags.allNamespaces ? conn.namespace : "";
      const { items } = await conn.api.list(mapping, namespace, {
        ...(flags.selector ? { labelSelector: flags.selector } : {}),
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

/** The manifests, refusing (with file and line) a name or namespace no request path may hold. */
async function* checkedNames(
  manifests: AsyncIterable<ManifestObject>,
): AsyncGenerator<ManifestObject> {
  for await (const m of manifests) {
    const meta = (m.object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    for (const what of ["name", "namespace"] as const) {
      const value = meta[what];
      const problem = typeof value === "string" ? pathSegmentProblem(value) : undefined;
      if (problem) {
        throw new InputError(
          `${m.file}:${m.line}: metadata.${what} ${JSON.stringify(value)} ${problem}`,
        );
      }
    }
    yield m;
  }
}
