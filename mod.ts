/**
 * kstatus: are these Kubernetes resources ready yet, and if not, why?
 *
 * Computes the readiness status of Kubernetes objects exactly as the Go
 * original (`sigs.k8s.io/cli-utils` kstatus) does, and polls a cluster until
 * a set of resources is Current.
 *
 * @example
 * ```ts
 * import { computeStatus } from "@kstatus/kstatus";
 * const { status, message } = computeStatus({
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { name: "web-0" },
 *   status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
 * });
 * console.log(status, message); // Current Pod is Ready
 * ```
 *
 * @module
 */

export * from "./lib/types.ts";
export { ComputeError, InputError, KstatusError } from "./lib/errors.ts";
export { computeStatus } from "./lib/rules/compute.ts";
export { augmentStatus } from "./lib/rules/augment.ts";
export {
  formatGroupKind,
  formatIdentifier,
  groupKindKey,
  groupKindOf,
  identifierKey,
  identifierOf,
  sameIdentifier,
} from "./lib/groupkind.ts";
export type { KindRule, RuleContext } from "./lib/rules/contract/rule.ts";
export { KIND_RULES } from "./lib/rules/contract/kind_rules.ts";
export { podVerdictMayExpire, SCHEDULE_WINDOW_MS } from "./lib/rules/contract/pod.ts";
export { tickRecheck } from "./lib/rules/tick_recheck.ts";

// Health rules as data: CEL rules, rule sets, the built-in pack
export {
  CelCompileError,
  type CelCompiler,
  type CelProgram,
  type CelResultType,
  celVariables,
  createCelCompiler,
  isAbsentFieldError,
} from "./lib/rules/cel.ts";
export {
  EXPRESSION_KEYS,
  type ExpressionKey,
  loadRuleFiles,
  parseRuleFile,
  type RuleDefinition,
  type RuleFixture,
} from "./lib/rules/rule_file.ts";
export {
  type CompiledRule,
  compileRule,
  type RuleMatcher,
  ruleMatcher,
} from "./lib/rules/cel_rule.ts";
export {
  builtinRuleId,
  createRuleSet,
  type RuleChoice,
  type RuleLayer,
  type RuleSet,
  type RuleSetOptions,
} from "./lib/rules/rule_set.ts";
export { BUILTIN_RULES } from "./lib/rules/builtin/rules.gen.ts";
export { STRICT_RULES } from "./lib/rules/builtin/strict.gen.ts";
export { globMatcher } from "./lib/rules/glob.ts";
export { type FixtureReport, type FixtureResult, runFixtures } from "./lib/rules/fixtures.ts";
export {
  applyFailOn,
  FAIL_ON_REASONS,
  type FailOnReason,
  parseFailOn,
  podFailOnCause,
  withFailOn,
} from "./readers/fail_on.ts";

// Manifests and identifiers
export {
  DEFAULT_MAX_DOCUMENT_SIZE,
  loadManifests,
  type LoadOptions,
  type ManifestObject,
  parseManifests,
  type StdinSource,
  streamManifests,
} from "./lib/manifests.ts";
export { type IdentifierOptions, identifiersFromObjects } from "./lib/identifiers.ts";
export {
  compileLabelSelector,
  labelsOf,
  parseSelector,
  type Selector,
  SelectorError,
} from "./lib/selector.ts";

// Engine
export { PollerEngine, type PollerEngineOptions, type PollOptions } from "./lib/engine/poller.ts";
export { createStatusPoller, type StatusPollerOptions } from "./lib/polling.ts";
export type {
  ErrorEvent,
  Event,
  EventType,
  ResourceUpdateEvent,
  SyncEvent,
} from "./lib/engine/events.ts";
export {
  type Clock,
  createManualClock,
  type ManualClock,
  systemClock,
} from "./lib/engine/clock.ts";
export { aggregateStatus } from "./lib/engine/aggregator.ts";
export {
  type Observation,
  observe,
  ResourceStatusCollector,
  STOP_CONDITIONS,
  type StopCondition,
} from "./lib/engine/collector.ts";
export {
  compareIdentifiers,
  resourceStatusEqual,
  sortResourceStatuses,
} from "./lib/resource_status.ts";

// Cluster readers
export type {
  CallOptions,
  ClusterReader,
  ClusterReaderArgs,
  ClusterReaderFactory,
  KubeApi,
  ResourceMapping,
  RestMapper,
} from "./lib/cluster/types.ts";
export {
  type CachePair,
  cachePairs,
  cachingClusterReaderFactory,
  createCachingClusterReader,
} from "./lib/cluster/caching.ts";
export { createDirectClusterReader, directClusterReaderFactory } from "./lib/cluster/direct.ts";
// Watch-backed reader: LIST then WATCH per kind and namespace (or per kind, cluster-wide, when
// namespaces are many), changes reported at once.
export {
  type BackoffOptions,
  CLUSTER_WIDE_THRESHOLD,
  createWatchClusterReader,
  type InformerSleep,
  type InformerStats,
  type RequestBudget,
  type WatchClusterReader,
  watchClusterReaderFactory,
  type WatchKubeApi,
  type WatchReaderOptions,
  type WatchRequestOptions,
  type WatchStreamEvent,
} from "./lib/cluster/watch.ts";
export { createMemoryCluster, type MemoryCall, type MemoryCluster } from "./lib/cluster/memory.ts";
export {
  isCancellation,
  isNoMatch,
  isNotFound,
  KindNoMatchError,
  ResourceNotFoundError,
} from "./lib/cluster/errors.ts";
export { BUILTIN_MAPPINGS } from "./lib/cluster/builtin_kinds.ts";

// Status readers
export {
  type ComputeFn,
  lookupStatusReader,
  statusFromError,
  type StatusReader,
  type StatusReaderContext,
  type StatusReaderRegistry,
} from "./lib/status_reader.ts";
export { createStatusReader, genericStatusReader, type StatusReaderSpec } from "./readers/base.ts";
export {
  type ChildSpec,
  findChildren,
  isControlledBy,
  NoSelectorError,
} from "./readers/children.ts";
export { defaultStatusReaders } from "./readers/registry.ts";
export { statusReaderFromRules } from "./readers/from_rules.ts";

// Diagnostics: why a resource is not ready (deciding rule, warning events, container logs)
export { collectDiagnostics } from "./lib/diagnostics/collect.ts";
export {
  DEFAULT_DIAGNOSTICS_LIMITS,
  type DiagnosticEvent,
  type DiagnosticLog,
  type DiagnosticRule,
  type Diagnostics,
  type DiagnosticsApi,
  type DiagnosticsLimits,
  type DiagnosticsOptions,
} from "./lib/diagnostics/types.ts";
