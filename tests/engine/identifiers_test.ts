import assert from "node:assert/strict";
import {
  createMemoryCluster,
  identifiersFromObjects,
  InputError,
  type KubeObject,
  type RestMapper,
} from "../../mod.ts";
import { test } from "./fixtures.ts";

const { mapper } = createMemoryCluster();
const options = { defaultNamespace: "team", mapper };

function crd(group: string, kind: string, scope: "Namespaced" | "Cluster"): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: { group, scope, names: { kind, plural: `${kind.toLowerCase()}s` } },
  };
}

test("identifiers: namespaced kinds take the default namespace, others lose theirs", async () => {
  const ids = await identifiersFromObjects([
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "other" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "team", namespace: "stray" } },
    {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "x" },
    },
  ], options);
  assert.deepEqual(ids, [
    { group: "apps", kind: "Deployment", namespace: "team", name: "web" },
    { group: "", kind: "ConfigMap", namespace: "other", name: "cm" },
    { group: "", kind: "Namespace", namespace: "", name: "team" },
    { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", namespace: "", name: "x" },
  ]);
});

test("identifiers: a CRD in the same set gives the scope of its kind", async () => {
  const ids = await identifiersFromObjects([
    { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "x" } },
    { apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" } },
    { apiVersion: "other.io/v1", kind: "Thing", metadata: { name: "t" } },
    crd("example.com", "Widget", "Cluster"),
    crd("example.com", "Gadget", "Namespaced"),
  ], options);
  assert.deepEqual(ids.slice(0, 3), [
    { group: "example.com", kind: "Widget", namespace: "", name: "w" },
    { group: "example.com", kind: "Gadget", namespace: "team", name: "g" },
    // Unknown kind, no CRD: taken as namespaced.
    { group: "other.io", kind: "Thing", namespace: "team", name: "t" },
  ]);
});

test("identifiers: the cluster's mapping wins over a CRD in the set", async () => {
  const cluster = createMemoryCluster([], [
    { group: "example.com", version: "v1", kind: "Widget", resource: "widgets", namespaced: true },
  ]);
  const ids = await identifiersFromObjects([
    { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
    crd("example.com", "Widget", "Cluster"),
  ], { defaultNamespace: "team", mapper: cluster.mapper });
  assert.equal(ids[0].namespace, "team");
});

test("identifiers: duplicates are removed, first occurrence kept in place", async () => {
  const ids = await identifiersFromObjects([
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "team" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "other" } },
  ], options);
  assert.deepEqual(ids.map((i) => `${i.namespace}/${i.name}`), ["team/a", "team/b", "other/a"]);
});

test("identifiers: an object without a name is an InputError", async () => {
  await assert.rejects(
    identifiersFromObjects([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: {} },
    ], options),
    (e) => e instanceof InputError && e.message === "apps/Deployment object has no metadata.name",
  );
});

test("identifiers: mapper failures other than no-match and cancellation propagate", async () => {
  const outage = new Error("discovery is down");
  const failing: RestMapper = { mapping: () => Promise.reject(outage) };
  const objs = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } }];
  await assert.rejects(
    identifiersFromObjects(objs, { defaultNamespace: "team", mapper: failing }),
    (e) => e === outage,
  );
  await assert.rejects(
    identifiersFromObjects(objs, { ...options, signal: AbortSignal.abort() }),
    { name: "AbortError" },
  );
});

test("identifiers: the mapper is asked once per kind", async () => {
  let asked = 0;
  const counting: RestMapper = {
    mapping: (gk, o) => (asked++, mapper.mapping(gk, o)),
  };
  await identifiersFromObjects(
    ["a", "b", "c"].map((name) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } })),
    { defaultNamespace: "team", mapper: counting },
  );
  assert.equal(asked, 1);
});

test("identifiers: from a stream, a nameless object is named by file and line", async () => {
  const { identifiersFromStream } = await import("../../lib/identifiers.ts");
  const stream = async function* () {
    yield { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } };
    yield {
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: {} },
      file: "x.yaml",
      line: 7,
    };
  };
  await assert.rejects(
    identifiersFromStream(stream(), options),
    (e) =>
      e instanceof InputError && e.message === "x.yaml:7: ConfigMap object has no metadata.name",
  );
});

test("identifiers: many objects of one kind ask the mapper once", async () => {
  let asked = 0;
  const counting: RestMapper = {
    mapping: (gk, o) => {
      asked++;
      return mapper.mapping(gk, o);
    },
  };
  const objs = Array.from({ length: 500 }, (_, i) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `cm-${i}` },
  }));
  const ids = await identifiersFromObjects(objs, { defaultNamespace: "team", mapper: counting });
  assert.equal(ids.length, 500);
  assert.equal(asked, 1);
});
