/**
 * API discovery: which resources the server has, with their kinds, scopes,
 * short names and versions. Uses aggregated discovery (two requests) where
 * the server offers it, else the per-group-version documents.
 *
 * @module
 */

import { ApiError } from "./errors.ts";

/** One resource the server serves, in one version. */
export interface DiscoveredResource {
  /** API group, `""` for core. */
  group: string;
  /** Version. */
  version: string;
  /** Kind. */
  kind: string;
  /** Plural resource name. */
  resource: string;
  /** Singular resource name (lower-case kind when the server sends none). */
  singular: string;
  /** Short names (`deploy`, `po`). */
  shortNames: string[];
  /** Categories (`all`). */
  categories: string[];
  /** True when namespace-scoped. */
  namespaced: boolean;
  /** Verbs the resource supports. */
  verbs: string[];
}

/** The result of discovery. */
export interface DiscoveryResult {
  /** Resources, core first, then groups in server order, each group's versions in preference order. */
  resources: DiscoveredResource[];
  /** Groups whose discovery failed (legacy discovery of an unavailable aggregated API). */
  failedGroups: Map<string, unknown>;
  /** True when aggregated discovery was used. */
  aggregated: boolean;
  /** Requests made. */
  requests: number;
}

/** GETs a discovery document: its content type and parsed JSON body. */
export type DiscoveryGet = (
  path: string,
  accept: string,
  signal?: AbortSignal,
) => Promise<{ contentType: string; body: unknown }>;

/** The `Accept` header asking for aggregated discovery, with plain JSON as the fallback. */
export const AGGREGATED_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," +
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function isAggregated(contentType: string, body: unknown): boolean {
  return /as=APIGroupDiscoveryList/i.test(contentType) ||
    (isRecord(body) && body.kind === "APIGroupDiscoveryList");
}

/** Resources of an `APIGroupDiscoveryList` (aggregated discovery). */
export function parseAggregated(body: unknown): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  if (!isRecord(body) || !Array.isArray(body.items)) return out;
  for (const item of body.items) {
    if (!isRecord(item)) continue;
    const group = isRecord(item.metadata) && typeof item.metadata.name === "string"
      ? item.metadata.name
      : "";
    for (const v of Array.isArray(item.versions) ? item.versions : []) {
      if (!isRecord(v) || typeof v.version !== "string") continue;
      for (const r of Array.isArray(v.resources) ? v.resources : []) {
        if (!isRecord(r) || typeof r.resource !== "string") continue;
        const rk = isRecord(r.responseKind) ? r.responseKind : {};
        const kind = typeof rk.kind === "string" ? rk.kind : "";
        if (!kind) continue;
        out.push({
          group,
          version: v.version,
          kind,
          resource: r.resource,
          singular: typeof r.singularResource === "string" && r.singularResource
            ? r.singularResource
            : kind.toLowerCase(),
          shortNames: strings(r.shortNames),
          categories: strings(r.categories),
          namespaced: r.scope === "Namespaced",
          verbs: strings(r.verbs),
        });
      }
    }
  }
  return out;
}

/** Resources of an `APIResourceList` for `group`/`version` (subresources left out). */
export function parseResourceList(
  body: unknown,
  group: string,
  version: string,
): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  if (!isRecord(body) || !Array.isArray(body.resources)) return out;
  for (const r of body.resources) {
    if (!isRecord(r) || typeof r.name !== "string" || r.name.includes("/")) continue;
    const kind = typeof r.kind === "string" ? r.kind : "";
    if (!kind) continue;
    out.push({
      group,
      version,
      kind,
      resource: r.name,
      singular: typeof r.singularName === "string" && r.singularName
        ? r.singularName
        : kind.toLowerCase(),
      shortNames: strings(r.shortNames),
      categories: strings(r.categories),
      namespaced: r.namespaced === true,
      verbs: strings(r.verbs),
    });
  }
  return out;
}

/**
 * Discovers the server's resources: aggregated discovery of `/api` and
 * `/apis` when offered, else `/api/<v>` and `/apis/<g>/<v>` for every
 * version (fetched in parallel; a failing group is recorded, not fatal).
 *
 * @example
 * ```ts
 * import { discover } from "@kstatus/kstatus/kube";
 * const base = "https://127.0.0.1:6443";
 * const result = await discover(async (path, accept, signal) => {
 *   const res = await fetch(base + path, { headers: { accept }, signal });
 *   return { contentType: res.headers.get("content-type") ?? "", body: await res.json() };
 * });
 * console.log(result.resources.length);
 * ```
 */
export async function discover(get: DiscoveryGet, signal?: AbortSignal): Promise<DiscoveryResult> {
  let requests = 0;
  const fetchDoc = (path: string, accept: string) => {
    requests++;
    return get(path, accept, signal);
  };
  const [core, apis] = await Promise.all([
    fetchDoc("/api", AGGREGATED_ACCEPT),
    fetchDoc("/apis", AGGREGATED_ACCEPT),
  ]);
  if (isAggregated(core.contentType, core.body) && isAggregated(apis.contentType, apis.body)) {
    return {
      resources: [...parseAggregated(core.body), ...parseAggregated(apis.body)],
      failedGroups: new Map(),
      aggregated: true,
      requests,
    };
  }
  // Legacy discovery: the version lists, then one document per group version.
  const wanted: Array<{ group: string; version: string; path: string }> = [];
  const coreVersions = isRecord(core.body) ? strings(core.body.versions) : [];
  for (const v of coreVersions) wanted.push({ group: "", version: v, path: `/api/${v}` });
  const groups = isRecord(apis.body) && Array.isArray(apis.body.groups) ? apis.body.groups : [];
  for (const g of groups) {
    if (!isRecord(g) || typeof g.name !== "string") continue;
    const versions = (Array.isArray(g.versions) ? g.versions : [])
      .map((v) => (isRecord(v) && typeof v.version === "string" ? v.version : ""))
      .filter(Boolean);
    const preferred = isRecord(g.preferredVersion) && typeof g.preferredVersion.version === "string"
      ? g.preferredVersion.version
      : versions[0];
    const ordered = preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
    for (const v of ordered) {
      wanted.push({ group: g.name, version: v, path: `/apis/${g.name}/${v}` });
    }
  }
  const failedGroups = new Map<string, unknown>();
  const docs = await Promise.all(wanted.map(async (w) => {
    try {
      return parseResourceList(
        (await fetchDoc(w.path, "application/json")).body,
        w.group,
        w.version,
      );
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      // An aggregated API that is down (503, 404) must not hide the others; anything
      // else (unauthorized, unreachable) concerns the whole server.
      if (!(e instanceof ApiError) || (e.code < 500 && e.code !== 404)) throw e;
      failedGroups.set(w.group, e);
      return [];
    }
  }));
  return { resources: docs.flat(), failedGroups, aggregated: false, requests };
}
