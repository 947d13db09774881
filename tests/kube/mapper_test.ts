import assert from "node:assert/strict";
import {
  NoMatchError,
  resolveText,
  ServerError,
  UnknownResourceTypeError,
} from "../../lib/kube/mod.ts";
import { parseAggregated, parseResourceList } from "../../lib/kube/discovery.ts";
import { BUILTIN_MAPPINGS } from "../../lib/cluster/builtin_kinds.ts";
import { withClient, withServer } from "./helpers.ts";

const WIDGET = {
  group: "example.com",
  version: "v1",
  kind: "Widget",
  plural: "widgets",
  shortNames: ["wd"],
  namespaced: true,
};

Deno.test("mapper: aggregated discovery maps every built-in kind in two requests", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      for (const expected of BUILTIN_MAPPINGS) {
        const m = await client.mapper.mapping({ group: expected.group, kind: expected.kind });
        assert.deepEqual(m, expected);
      }
      const discovery = api.requests.filter((r) => r.verb === "discovery");
      assert.deepEqual(discovery.map((r) => r.path).sort(), ["/api", "/apis"]);
      assert.match(discovery[0].accept, /as=APIGroupDiscoveryList/);
      assert.equal(client.requests.snapshot().discovery, 2);
    });
  });
});

Deno.test("mapper: legacy per-group-version discovery when aggregated is not offered", async () => {
  await withServer(async (api) => {
    api.registerKind({ ...WIDGET, version: "v1beta1" });
    api.registerKind(WIDGET);
    await withClient(api, async ({ client }) => {
      const m = await client.mapper.mapping({ group: "apps", kind: "StatefulSet" });
      assert.deepEqual(m, {
        group: "apps",
        version: "v1",
        kind: "StatefulSet",
        resource: "statefulsets",
        namespaced: true,
      });
      const paths = api.requests.filter((r) => r.verb === "discovery").map((r) => r.path);
      assert.ok(paths.includes("/api/v1"));
      assert.ok(paths.includes("/apis/apps/v1"));
      assert.ok(paths.includes("/apis/example.com/v1beta1"));
      // The group's preferred version (first listed) wins.
      const w = await client.mapper.mapping({ group: "example.com", kind: "Widget" });
      assert.equal(w.version, "v1beta1");
      // Subresources (deployments/status) are not kinds of their own.
      const all = await client.mapper.resources();
      assert.ok(all.every((r) => !r.resource.includes("/")));
    });
  }, { aggregatedDiscovery: false });
});

Deno.test("mapper: discovery is cached, and refreshed once for an unknown kind", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      await client.mapper.mapping({ group: "apps", kind: "Deployment" });
      await client.mapper.mapping({ group: "", kind: "Pod" });
      assert.equal(client.requests.snapshot().discovery, 2, "cached");

      // A CRD applied after discovery: found after one refresh.
      api.registerKind(WIDGET);
      const w = await client.mapper.mapping({ group: "example.com", kind: "Widget" });
      assert.equal(w.resource, "widgets");
      assert.equal(client.requests.snapshot().discovery, 4);

      // Still unknown after the refresh: NoMatchError, with one refresh per lookup.
      await assert.rejects(
        client.mapper.mapping({ group: "example.com", kind: "Gadget" }),
        (e: unknown) => {
          assert.ok(e instanceof NoMatchError);
          assert.equal(e.name, "NoMatchError");
          assert.equal(e.message, 'no matches for kind "Gadget" in group "example.com"');
          assert.deepEqual(e.groupKind, { group: "example.com", kind: "Gadget" });
          return true;
        },
      );
      assert.equal(client.requests.snapshot().discovery, 6);

      // Concurrent lookups of unknown kinds share one refresh.
      await Promise.all([
        assert.rejects(client.mapper.mapping({ group: "x.io", kind: "A" }), NoMatchError),
        assert.rejects(client.mapper.mapping({ group: "x.io", kind: "B" }), NoMatchError),
      ]);
      assert.equal(client.requests.snapshot().discovery, 8);

      // reset() forgets the cache.
      client.mapper.reset();
      await client.mapper.mapping({ group: "apps", kind: "Deployment" });
      assert.equal(client.requests.snapshot().discovery, 10);
    });
  });
});

Deno.test("mapper: the first lookup does not refresh what it just loaded", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.mapper.mapping({ group: "no.io", kind: "Thing" }), NoMatchError);
      assert.equal(client.requests.snapshot().discovery, 2);
    });
  });
});

Deno.test("mapper: resolves what users type to a GroupKind", async () => {
  await withServer(async (api) => {
    api.registerKind(WIDGET);
    await withClient(api, async ({ client }) => {
      const cases: Array<[string, string, string]> = [
        ["deploy", "apps", "Deployment"],
        ["deployments", "apps", "Deployment"],
        ["deployment", "apps", "Deployment"],
        ["Deployment", "apps", "Deployment"],
        ["DEPLOYMENT", "apps", "Deployment"],
        ["deployments.apps", "apps", "Deployment"],
        ["deployments.v1.apps", "apps", "Deployment"],
        ["Deployment.apps", "apps", "Deployment"],
        ["sts", "apps", "StatefulSet"],
        ["po", "", "Pod"],
        ["pods", "", "Pod"],
        ["svc", "", "Service"],
        ["pvc", "", "PersistentVolumeClaim"],
        ["ns", "", "Namespace"],
        ["cj", "batch", "CronJob"],
        ["jobs.batch", "batch", "Job"],
        ["pdb", "policy", "PodDisruptionBudget"],
        ["crd", "apiextensions.k8s.io", "CustomResourceDefinition"],
        ["crds", "apiextensions.k8s.io", "CustomResourceDefinition"],
        ["wd", "example.com", "Widget"],
        ["widgets.example.com", "example.com", "Widget"],
        // "events" exists in core and events.k8s.io: core wins unless the group is given.
        ["events", "", "Event"],
        ["ev", "", "Event"],
        ["events.events.k8s.io", "events.k8s.io", "Event"],
      ];
      for (const [text, group, kind] of cases) {
        assert.deepEqual(await client.mapper.resolve(text), { group, kind }, text);
      }
      await assert.rejects(client.mapper.resolve("deploymentz"), (e: unknown) => {
        assert.ok(e instanceof UnknownResourceTypeError);
        assert.equal(e.message, 'the server doesn\'t have a resource type "deploymentz"');
        return true;
      });
      await assert.rejects(client.mapper.resolve("deployments.batch"), UnknownResourceTypeError);

      // A kind registered later is found after a refresh.
      api.registerKind({ ...WIDGET, kind: "Gizmo", plural: "gizmos", shortNames: ["gz"] });
      assert.deepEqual(await client.mapper.resolve("gz"), { group: "example.com", kind: "Gizmo" });
    });
  });
});

Deno.test("mapper: a failing aggregated API group is reported for its kinds only", async () => {
  await withServer(async (api) => {
    api.registerKind({
      ...WIDGET,
      group: "metrics.example.com",
      kind: "Metric",
      plural: "metrics",
    });
    api.failNext({ path: "/apis/metrics.example.com/v1" }, { status: 503, times: 100 });
    await withClient(api, async ({ client }) => {
      const m = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
      assert.equal(m.resource, "deployments");
      await assert.rejects(
        client.mapper.mapping({ group: "metrics.example.com", kind: "Metric" }),
        ServerError,
      );
    });
  }, { aggregatedDiscovery: false });
});

Deno.test("mapper: aggregated discovery documents parse with defaults", () => {
  const resources = parseAggregated({
    kind: "APIGroupDiscoveryList",
    items: [{
      metadata: { name: "apps" },
      versions: [{
        version: "v1",
        resources: [{
          resource: "deployments",
          responseKind: { group: "", version: "", kind: "Deployment" },
          scope: "Namespaced",
          verbs: ["get"],
        }, { resource: "nokind" }],
      }],
    }, {
      versions: [{
        version: "v1",
        resources: [{ resource: "nodes", responseKind: { kind: "Node" }, scope: "Cluster" }],
      }],
    }],
  });
  assert.deepEqual(resources.map((r) => [r.group, r.version, r.kind, r.singular, r.namespaced]), [
    ["apps", "v1", "Deployment", "deployment", true],
    ["", "v1", "Node", "node", false],
  ]);
  assert.deepEqual(
    parseResourceList({ resources: [{ name: "pods/log", kind: "Pod" }] }, "", "v1"),
    [],
  );
  assert.equal(resolveText(resources, "node")?.kind, "Node");
  assert.equal(resolveText(resources, ""), undefined);
});
