/**
 * Client configuration: where the API server is and how to authenticate,
 * from kubeconfig files (`--kubeconfig`, the `KUBECONFIG` list merged,
 * `~/.kube/config`) or from the in-cluster service account.
 *
 * @module
 */

import process from "node:process";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { ConfigError } from "./errors.ts";
import { proxyFromEnvironment } from "./proxy_env.ts";
import {
  describeFsError,
  type KubeconfigCluster,
  type KubeconfigExec,
  type KubeconfigUser,
  type MergedKubeconfig,
  readKubeconfigs,
  type Sourced,
} from "./kubeconfig.ts";

/**
 * The exec credential API versions kstatus speaks.
 *
 * @example
 * ```ts
 * import { EXEC_API_VERSIONS } from "@kstatus/kstatus/kube";
 * EXEC_API_VERSIONS.includes("client.authentication.k8s.io/v1"); // true
 * ```
 */
export const EXEC_API_VERSIONS = [
  "client.authentication.k8s.io/v1",
  "client.authentication.k8s.io/v1beta1",
] as const;

/** An exec credential API version. */
export type ExecApiVersion = typeof EXEC_API_VERSIONS[number];

/** How an exec plugin may use the terminal. */
export type InteractiveMode = "Never" | "IfAvailable" | "Always";

/** An exec credential plugin, validated. */
export interface ExecConfig {
  /** API version of the ExecCredential exchanged. */
  apiVersion: ExecApiVersion;
  /** Program to run (absolute, or looked up in PATH). */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Extra environment variables for the plugin. */
  env: Array<{ name: string; value: string }>;
  /** Whether the plugin gets our stdin. */
  interactiveMode: InteractiveMode;
  /** Pass the cluster's details in `KUBERNETES_EXEC_INFO`. */
  provideClusterInfo: boolean;
  /** Shown when the command cannot be found. */
  installHint?: string;
  /** The cluster's `client.authentication.k8s.io/exec` extension, passed on as `config`. */
  clusterConfig?: unknown;
  /** Environment the plugin starts from; default: this process's. */
  baseEnv?: Record<string, string | undefined>;
}

/** How requests authenticate (besides a client certificate, which is TLS material). */
export type AuthConfig =
  | { type: "none" }
  | { type: "token"; token: string }
  | { type: "tokenFile"; path: string }
  | { type: "basic"; username: string; password: string }
  | { type: "exec"; exec: ExecConfig };

/** Everything the client needs to talk to one API server. */
export interface ClientConfig {
  /** Server URL without a trailing slash, e.g. `https://10.0.0.1:6443`. */
  server: string;
  /** Effective default namespace: `-n`, else the context's, else `default`. */
  namespace: string;
  /** Name of the kubeconfig context used; `""` in-cluster. */
  contextName: string;
  /** Where the configuration came from: the kubeconfig files, or `in-cluster`. */
  source: string;
  /** PEM CA bundle to trust; unset means the system roots. */
  ca?: string;
  /** PEM client certificate. */
  cert?: string;
  /** PEM client key. */
  key?: string;
  /** Skip verification of the server certificate. */
  insecureSkipVerify: boolean;
  /** Name the server certificate is verified against (and SNI). */
  serverName?: string;
  /** Proxy URL: the kubeconfig's `proxy-url`, else `HTTPS_PROXY`/`NO_PROXY` as kubectl reads them. */
  proxyUrl?: string;
  /** The proxy came from the environment, not the kubeconfig (not passed to exec plugins). */
  proxyFromEnv?: boolean;
  /** Request authentication. */
  auth: AuthConfig;
}

/** Options of {@linkcode loadClientConfig}. */
export interface LoadConfigOptions {
  /** Explicit kubeconfig file (`--kubeconfig`); `KUBECONFIG` is then ignored. */
  kubeconfig?: string;
  /** Context to use instead of `current-context` (`--context`). */
  context?: string;
  /** Namespace to use instead of the context's (`-n`). */
  namespace?: string;
  /** Environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`...); default: the process's. */
  env?: Record<string, string | undefined>;
  /** Directory of the service account files; default `/var/run/secrets/kubernetes.io/serviceaccount`. */
  inClusterDir?: string;
}

/**
 * Where a pod's service account token, CA and namespace are mounted.
 *
 * @example
 * ```ts
 * import { IN_CLUSTER_DIR } from "@kstatus/kstatus/kube";
 * console.log(`${IN_CLUSTER_DIR}/token`);
 * ```
 */
export const IN_CLUSTER_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Loads the client configuration as kubectl would: `--kubeconfig`, else the
 * `KUBECONFIG` list (merged; missing files skipped), else `~/.kube/config`;
 * when none of these exists, the in-cluster service account.
 *
 * @throws {ConfigError} naming the file and the missing or wrong field.
 *
 * @example
 * ```ts ignore
 * import { createClient, loadClientConfig } from "./mod.ts";
 * const config = await loadClientConfig({ context: "prod", namespace: "web" });
 * const client = createClient(config);
 * ```
 */
export async function loadClientConfig(opts: LoadConfigOptions = {}): Promise<ClientConfig> {
  const env = opts.env ?? process.env;
  const { files, skipMissing } = kubeconfigFiles(opts, env);
  const merged = await readKubeconfigs(files, { skipMissing });
  if (merged.files.length === 0 && !opts.kubeconfig) {
    if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
      return await loadInClusterConfig({ ...opts, env });
    }
    const where = missingKubeconfig(files, env);
    throw new ConfigError(
      `no kubeconfig found (${where}) and not running in a cluster ` +
        "(KUBERNETES_SERVICE_HOST is not set)",
    );
  }
  return await configFromKubeconfig(merged, opts);
}

/** The kubeconfig files kubectl would read: `--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`. */
function kubeconfigFiles(
  opts: LoadConfigOptions,
  env: Record<string, string | undefined>,
): { files: string[]; skipMissing: boolean } {
  if (opts.kubeconfig) return { files: [resolve(opts.kubeconfig)], skipMissing: false };
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean).map((f) => resolve(f));
    return { files: [...new Set(files)], skipMissing: true };
  }
  const home = env.HOME || env.USERPROFILE;
  return { files: home ? [join(home, ".kube", "config")] : [], skipMissing: true };
}

/** Why no kubeconfig was found, in a few words. */
function missingKubeconfig(files: string[], env: Record<string, string | undefined>): string {
  return env.KUBECONFIG
    ? `KUBECONFIG=${env.KUBECONFIG} names no existing file`
    : files.length
    ? `${files[0]} does not exist`
    : "HOME is not set";
}

/**
 * The names of the contexts in the kubeconfig files {@linkcode loadClientConfig} would read, in
 * the order the files define them (for `--all-contexts`).
 *
 * @throws {ConfigError} when no kubeconfig file exists or one cannot be read or parsed.
 *
 * @example
 * ```ts ignore
 * import { kubeconfigContexts } from "./config.ts";
 * for (const name of await kubeconfigContexts({ kubeconfig: "./kubeconfig" })) console.log(name);
 * ```
 */
export async function kubeconfigContexts(
  opts: Pick<LoadConfigOptions, "kubeconfig" | "env"> = {},
): Promise<string[]> {
  const env = opts.env ?? process.env;
  const { files, skipMissing } = kubeconfigFiles(opts, env);
  const merged = await readKubeconfigs(files, { skipMissing });
  if (merged.files.length === 0) {
    const where = missingKubeconfig(files, env);
    throw new ConfigError(`no kubeconfig found (${where}): --all-contexts needs one`);
  }
  return [...merged.contexts.keys()];
}

function filesText(merged: MergedKubeconfig): string {
  return merged.files.join(delimiter);
}

async function configFromKubeconfig(
  merged: MergedKubeconfig,
  opts: LoadConfigOptions,
): Promise<ClientConfig> {
  const contextName = opts.context || merged.currentContext;
  if (!contextName) {
    throw new ConfigError(
      `no current-context is set in kubeconfig ${filesText(merged)}; choose one with --context`,
    );
  }
  const ctx = merged.contexts.get(contextName);
  if (!ctx) {
    const known = [...merged.contexts.keys()];
    const list = known.length ? ` (contexts: ${known.join(", ")})` : " (it has no contexts)";
    const origin = opts.context ? "" : ` (current-context of ${merged.currentContextFile})`;
    throw new ConfigError(
      `context "${contextName}"${origin} not found in kubeconfig ${filesText(merged)}${list}`,
    );
  }
  const ctxFile = ctx.file;
  const clusterName = ctx.value.cluster;
  if (!clusterName) {
    throw new ConfigError(`context "${contextName}" has no cluster`, { file: ctxFile });
  }
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) {
    throw new ConfigError(
      `context "${contextName}" refers to cluster "${clusterName}", which is not defined`,
      { file: ctxFile },
    );
  }
  let user: Sourced<KubeconfigUser> | undefined;
  if (ctx.value.user) {
    user = merged.users.get(ctx.value.user);
    if (!user) {
      throw new ConfigError(
        `context "${contextName}" refers to user "${ctx.value.user}", which is not defined`,
        { file: ctxFile },
      );
    }
  }
  const { userinfo, ...tlsAndServer } = await clusterSettings(clusterName, cluster);
  const { cert, key, auth } = await userSettings(
    ctx.value.user ?? "",
    user,
    cluster.value,
    opts.env,
  );
  return withEnvProxy(
    {
      ...tlsAndServer,
      namespace: opts.namespace || ctx.value.namespace || "default",
      contextName,
      source: `kubeconfig ${filesText(merged)}`,
      cert,
      key,
      // Credentials in the server URL are Basic auth when the user has none (as Go's client
      // does); they are never sent in the URL nor printed.
      auth: auth ?? userinfo ?? { type: "none" },
    },
    opts.env ?? process.env,
    cluster.file,
  );
}

/** Server URL, CA, TLS options and proxy of a cluster entry. */
async function clusterSettings(
  name: string,
  { value: c, file }: Sourced<KubeconfigCluster>,
): Promise<
  Pick<ClientConfig, "server" | "ca" | "insecureSkipVerify" | "serverName" | "proxyUrl"> & {
    userinfo?: AuthConfig;
  }
> {
  if (!c.server || typeof c.server !== "string") {
    throw new ConfigError(`cluster "${name}" has no server`, { file });
  }
  let server = c.server.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(server)) server = `https://${server}`;
  let userinfo: AuthConfig | undefined;
  try {
    const u = new URL(server);
    if (u.username || u.password) {
      userinfo = {
        type: "basic",
        username: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
      };
      u.username = "";
      u.password = "";
      server = u.href;
    }
  } catch {
    throw new ConfigError(`cluster "${name}" has an invalid server URL`, { file });
  }
  server = server.replace(/\/+$/, "");
  let ca: string | undefined;
  if (c["certificate-authority-data"]) {
    ca = decodePemData(
      c["certificate-authority-data"],
      `cluster "${name}": certificate-authority-data`,
      file,
      "CERTIFICATE",
    );
  } else if (c["certificate-authority"]) {
    ca = await readPemFile(
      c["certificate-authority"],
      `cluster "${name}": certificate-authority`,
      file,
      "CERTIFICATE",
    );
  }
  const insecure = c["insecure-skip-tls-verify"] === true;
  if (insecure && ca) {
    // kubectl refuses this combination; so do we, to avoid silently ignoring one of them.
    throw new ConfigError(
      `cluster "${name}": certificate-authority and insecure-skip-tls-verify are both set`,
      { file },
    );
  }
  let proxyUrl: string | undefined;
  if (c["proxy-url"]) {
    try {
      proxyUrl = new URL(c["proxy-url"]).href;
    } catch {
      throw new ConfigError(`cluster "${name}" has an invalid proxy-url`, { file });
    }
  }
  return {
    server,
    ca,
    insecureSkipVerify: insecure,
    serverName: c["tls-server-name"] || undefined,
    proxyUrl,
    userinfo,
  };
}

/** `config` with the proxy `HTTPS_PROXY`/`NO_PROXY` name for its server, unless it has one. */
function withEnvProxy(
  config: ClientConfig,
  env: Record<string, string | undefined>,
  file?: string,
): ClientConfig {
  if (config.proxyUrl) return config;
  let proxyUrl: string | undefined;
  try {
    proxyUrl = proxyFromEnvironment(config.server, env);
  } catch (e) {
    throw new ConfigError((e as Error).message, { file, cause: e });
  }
  return proxyUrl ? { ...config, proxyUrl, proxyFromEnv: true } : config;
}

/** Client certificate and request authentication of a user entry. */
async function userSettings(
  name: string,
  sourced: Sourced<KubeconfigUser> | undefined,
  cluster: KubeconfigCluster,
  env: Record<string, string | undefined> | undefined,
): Promise<{ cert?: string; key?: string; auth?: AuthConfig }> {
  if (!sourced) return {};
  const { value: u, file } = sourced;
  const where = `user "${name}"`;
  if (u["auth-provider"]) {
    throw new ConfigError(
      `${where}: auth-provider "${
        u["auth-provider"].name ?? ""
      }" is not supported; use an exec credential plugin`,
      { file },
    );
  }
  let cert: string | undefined;
  let key: string | undefined;
  if (u["client-certificate-data"]) {
    cert = decodePemData(
      u["client-certificate-data"],
      `${where}: client-certificate-data`,
      file,
      "CERTIFICATE",
    );
  } else if (u["client-certificate"]) {
    cert = await readPemFile(
      u["client-certificate"],
      `${where}: client-certificate`,
      file,
      "CERTIFICATE",
    );
  }
  if (u["client-key-data"]) {
    key = decodePemData(u["client-key-data"], `${where}: client-key-data`, file, "PRIVATE KEY");
  } else if (u["client-key"]) {
    key = await readPemFile(u["client-key"], `${where}: client-key`, file, "PRIVATE KEY");
  }
  if (cert && !key) {
    throw new ConfigError(`${where} has a client certificate but no client-key`, { file });
  }
  if (key && !cert) {
    throw new ConfigError(`${where} has a client-key but no client certificate`, { file });
  }

  const hasToken = Boolean(u.token || u.tokenFile);
  if (hasToken && (u.username || u.password)) {
    throw new ConfigError(`${where} sets both a token and a username/password; keep one`, { file });
  }
  let auth: AuthConfig | undefined;
  if (u.token) {
    auth = { type: "token", token: String(u.token) };
  } else if (u.tokenFile) {
    auth = { type: "tokenFile", path: u.tokenFile };
  } else if (u.username || u.password) {
    if (!u.username) throw new ConfigError(`${where} has a password but no username`, { file });
    auth = { type: "basic", username: String(u.username), password: String(u.password ?? "") };
  } else if (u.exec) {
    auth = { type: "exec", exec: execSettings(where, u.exec, cluster, file, env) };
  }
  return { cert, key, auth };
}

function execSettings(
  where: string,
  e: KubeconfigExec,
  cluster: KubeconfigCluster,
  file: string,
  env: Record<string, string | undefined> | undefined,
): ExecConfig {
  if (!e.command) throw new ConfigError(`${where}: exec has no command`, { file });
  if (!e.apiVersion) throw new ConfigError(`${where}: exec has no apiVersion`, { file });
  if (!(EXEC_API_VERSIONS as readonly string[]).includes(e.apiVersion)) {
    throw new ConfigError(
      `${where}: exec apiVersion "${e.apiVersion}" is not supported (use ${
        EXEC_API_VERSIONS.join(" or ")
      })`,
      { file },
    );
  }
  let mode = e.interactiveMode;
  if (!mode) {
    // v1 makes the field mandatory; v1beta1 defaults to IfAvailable, as client-go.
    if (e.apiVersion === "client.authentication.k8s.io/v1") {
      throw new ConfigError(`${where}: exec has no interactiveMode (required by ${e.apiVersion})`, {
        file,
      });
    }
    mode = "IfAvailable";
  }
  if (mode !== "Never" && mode !== "IfAvailable" && mode !== "Always") {
    throw new ConfigError(
      `${where}: exec interactiveMode "${mode}" is not one of Never, IfAvailable, Always`,
      {
        file,
      },
    );
  }
  const vars: Array<{ name: string; value: string }> = [];
  for (const [i, v] of (e.env ?? []).entries()) {
    if (!v || typeof v.name !== "string" || !v.name) {
      throw new ConfigError(`${where}: exec env[${i}] has no name`, { file });
    }
    vars.push({ name: v.name, value: String(v.value ?? "") });
  }
  const extension = cluster.extensions?.find((x) => x?.name === "client.authentication.k8s.io/exec")
    ?.extension;
  return {
    apiVersion: e.apiVersion as ExecApiVersion,
    command: e.command,
    args: (e.args ?? []).map(String),
    env: vars,
    interactiveMode: mode,
    provideClusterInfo: e.provideClusterInfo === true,
    installHint: e.installHint,
    clusterConfig: extension,
    baseEnv: env,
  };
}

/** Decodes a `*-data` field (base64 of PEM); errors name the field, never the value. */
function decodePemData(data: string, what: string, file: string, label: string): string {
  let text: string;
  try {
    const binary = atob(String(data).replace(/\s+/g, ""));
    text = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw new ConfigError(`${what} is not valid base64`, { file });
  }
  if (!text.includes(`-----BEGIN`) || !text.includes(label)) {
    throw new ConfigError(`${what} does not hold a PEM ${label.toLowerCase()}`, { file });
  }
  return text;
}

async function readPemFile(
  path: string,
  what: string,
  file: string,
  label: string,
): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ConfigError(`${what}: cannot read ${path}: ${describeFsError(e)}`, {
      file,
      cause: e,
    });
  }
  if (!text.includes("-----BEGIN") || !text.includes(label)) {
    throw new ConfigError(`${what}: ${path} does not hold a PEM ${label.toLowerCase()}`, { file });
  }
  return text;
}

/**
 * The in-cluster configuration: `KUBERNETES_SERVICE_HOST`/`PORT`, and the
 * service account's `token`, `ca.crt` and `namespace` files in `inClusterDir`.
 * The token file is re-read when it changes (kubelet rotates it).
 *
 * @throws {ConfigError} when the environment variables or files are missing.
 *
 * @example
 * ```ts
 * import { createClient, loadInClusterConfig } from "@kstatus/kstatus/kube";
 * // Inside a pod: the service account's token, CA and namespace.
 * const client = createClient(await loadInClusterConfig());
 * ```
 */
export async function loadInClusterConfig(
  opts: Pick<LoadConfigOptions, "env" | "inClusterDir" | "namespace"> = {},
): Promise<ClientConfig> {
  const env = opts.env ?? process.env;
  const dir = opts.inClusterDir ?? IN_CLUSTER_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new ConfigError(
      "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set",
    );
  }
  const tokenPath = join(dir, "token");
  if (!existsSync(tokenPath)) {
    throw new ConfigError(`in-cluster config: service account token ${tokenPath} does not exist`);
  }
  let ca: string | undefined;
  const caPath = join(dir, "ca.crt");
  try {
    ca = await readFile(caPath, "utf8");
  } catch (e) {
    throw new ConfigError(
      `in-cluster config: cannot read CA ${caPath}: ${describeFsError(e)}`,
      { cause: e },
    );
  }
  let namespace = opts.namespace;
  if (!namespace) {
    try {
      namespace = (await readFile(join(dir, "namespace"), "utf8")).trim();
    } catch {
      // No namespace file: fall back to "default", as client-go does.
    }
  }
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return withEnvProxy({
    server: `https://${hostPart}:${port}`,
    namespace: namespace || "default",
    contextName: "",
    source: "in-cluster",
    ca,
    insecureSkipVerify: false,
    auth: { type: "tokenFile", path: tokenPath },
  }, env);
}

/**
 * A one-line description of a configuration without any secret, for debug output:
 * `https://10.0.0.1:6443 (context prod, namespace web, auth token, from kubeconfig /x)`.
 *
 * @example
 * ```ts
 * import { describeConfig, loadClientConfig } from "@kstatus/kstatus/kube";
 * const config = await loadClientConfig({ context: "kind-dev" });
 * console.error(describeConfig(config)); // server, context, namespace and auth kind; no secrets
 * ```
 */
export function describeConfig(config: ClientConfig): string {
  const parts = [
    config.contextName ? `context ${config.contextName}` : "",
    `namespace ${config.namespace}`,
    `auth ${config.auth.type}${config.cert ? "+client-certificate" : ""}`,
    config.insecureSkipVerify ? "insecure-skip-tls-verify" : "",
    config.serverName ? `tls-server-name ${config.serverName}` : "",
    config.proxyUrl ? `proxy ${redactUrl(config.proxyUrl)}` : "",
    `from ${config.source}`,
  ].filter(Boolean);
  return `${config.server} (${parts.join(", ")})`;
}

/** A URL with its password (and user) replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "redacted";
      u.password = "";
    }
    return u.href;
  } catch {
    return "(invalid URL)";
  }
}
