/**
 * A small, typed Kubernetes client for Deno, Bun and Node: kubeconfig and
 * in-cluster configuration, every common auth kind, GET / paginated LIST /
 * WATCH, discovery-backed REST mapping, typed errors and bounded retries.
 *
 * @example
 * ```ts ignore
 * import { createClient, loadClientConfig, NotFoundError } from "./lib/kube/mod.ts";
 * const client = createClient(await loadClientConfig({ context: "kind-dev" }));
 * try {
 *   const m = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
 *   const web = await client.get(m, client.config.namespace, "web");
 *   console.log(web.status);
 * } catch (e) {
 *   if (e instanceof NotFoundError) console.log("no such deployment");
 *   else throw e;
 * } finally {
 *   client.close();
 * }
 * ```
 *
 * @module
 */

export type { GroupKind, KubeObject, ObjectIdentifier } from "../types.ts";
export { KstatusError } from "../errors.ts";
export {
  type AuthConfig,
  type ClientConfig,
  describeConfig,
  EXEC_API_VERSIONS,
  type ExecApiVersion,
  type ExecConfig,
  IN_CLUSTER_DIR,
  type InteractiveMode,
  loadClientConfig,
  type LoadConfigOptions,
  loadInClusterConfig,
} from "./config.ts";
export { type ClientOptions, createClient, type KubeClient } from "./client.ts";
export type {
  CallOptions,
  DeleteOptions,
  ListOptions,
  ListResult,
  LogOptions,
  ResourceMapping,
  WatchEvent,
  WatchEventType,
  WatchOptions,
} from "./types.ts";
export {
  createRestMapper,
  findKind,
  resolveText,
  type RestMapper,
  type RestMapperOptions,
} from "./mapper.ts";
export {
  discover,
  type DiscoveredResource,
  type DiscoveryGet,
  type DiscoveryResult,
} from "./discovery.ts";
export { createRequestCounter, type RequestCounter, requestKey } from "./requests.ts";
export { type RetryOptions, sleep, type SleepFn } from "./retry.ts";
export {
  ApiError,
  apiErrorFromStatus,
  type ApiStatus,
  BadRequestError,
  ConfigError,
  ConflictError,
  ConnectionError,
  type ConnectionFailure,
  type ErrorContext,
  ExecPluginError,
  ForbiddenError,
  GoneError,
  InvalidError,
  MethodNotAllowedError,
  NoMatchError,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
  UnauthorizedError,
  UnknownResourceTypeError,
  UnsupportedMediaTypeError,
} from "./errors.ts";
export type {
  RuntimeName,
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from "./transport.ts";
export { createTransport, detectRuntime, selectTransport } from "./transport_select.ts";
