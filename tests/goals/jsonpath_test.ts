import assert from "node:assert/strict";
import {
  checkJsonPath,
  evaluateJsonPath,
  formatJsonPathValue,
  parseJsonPath,
} from "../../lib/goals/jsonpath.ts";

const pod = {
  metadata: { name: "p", annotations: { "example.com/x": "1" }, labels: { app: "web" } },
  spec: { containers: [{ name: "a", image: "i:1" }, { name: "b", image: "i:2" }] },
  status: {
    phase: "Running",
    ready: true,
    replicas: 3,
    ratio: 0.5,
    empty: "",
    list: [],
    loadBalancer: {},
    conditions: [
      { type: "Ready", status: "True", observedGeneration: 2 },
      { type: "PodScheduled", status: "True", observedGeneration: 1 },
    ],
  },
};

const at = (path: string) => evaluateJsonPath(parseJsonPath(path), pod);

Deno.test("jsonpath: fields, indexes, slices, wildcards, unions, descent", () => {
  assert.deepEqual(at("{.status.phase}"), ["Running"]);
  assert.deepEqual(at("status.phase"), ["Running"]);
  assert.deepEqual(at("{.spec.containers[1].image}"), ["i:2"]);
  assert.deepEqual(at("{.spec.containers[-1].name}"), ["b"]);
  assert.deepEqual(at("{.spec.containers[0:1].name}"), ["a"]);
  assert.deepEqual(at("{.spec.containers[*].name}"), ["a", "b"]);
  assert.deepEqual(at("{.spec.containers[0,1].name}"), ["a", "b"]);
  assert.deepEqual(at("{.metadata.labels['app']}"), ["web"]);
  assert.deepEqual(at("{.metadata.annotations.example\\.com/x}"), ["1"]);
  assert.deepEqual(at("{..image}"), ["i:1", "i:2"]);
  assert.deepEqual(at("{.status.nothing.deeper}"), []);
  assert.deepEqual(at("{.spec.containers[5].name}"), []);
});

Deno.test("jsonpath: filters compare strings and numbers, or test presence", () => {
  assert.deepEqual(at(`{.status.conditions[?(@.type=="Ready")].status}`), ["True"]);
  assert.deepEqual(at(`{.status.conditions[?(@.type == 'Ready')].status}`), ["True"]);
  assert.deepEqual(at(`{.status.conditions[?(@.type!="Ready")].type}`), ["PodScheduled"]);
  assert.deepEqual(at(`{.status.conditions[?(@.observedGeneration>1)].type}`), ["Ready"]);
  assert.deepEqual(at(`{.status.conditions[?(@.observedGeneration<=1)].type}`), ["PodScheduled"]);
  assert.deepEqual(at(`{.spec.containers[?(@.image)].name}`), ["a", "b"]);
});

Deno.test("jsonpath: kubectl wait's check: one value, compared as printed", () => {
  const check = (path: string, want?: string) => checkJsonPath(parseJsonPath(path), want, pod);
  assert.deepEqual(check("{.status.phase}", "Running"), { met: true, found: "Running" });
  assert.deepEqual(check("{.status.phase}", " Running "), { met: true, found: "Running" });
  assert.equal(check("{.status.phase}", "Pending").met, false);
  assert.equal(check("{.status.replicas}", "3").met, true);
  assert.equal(check("{.status.ready}", "true").met, true);
  assert.equal(check("{.status.ratio}", "0.5").met, true);
  // Without a value: present and not empty.
  assert.equal(check("{.status.phase}").met, true);
  assert.equal(check("{.status.empty}").met, false);
  assert.equal(check("{.status.list}").met, false);
  assert.equal(check("{.status.loadBalancer}").met, false);
  assert.deepEqual(check("{.status.loadBalancer.ingress}"), { met: false });
  assert.equal(
    check("{.spec.containers[*].name}", "a").error,
    "given jsonpath expression matches more than one value",
  );
  assert.equal(
    check("{.status.conditions}", "x").error,
    "jsonpath leads to a nested object or list which is not supported",
  );
});

Deno.test("jsonpath: values print as Go's %v", () => {
  assert.equal(formatJsonPathValue(null), "<nil>");
  assert.equal(formatJsonPathValue(3), "3");
  assert.equal(formatJsonPathValue(false), "false");
  assert.equal(formatJsonPathValue("x"), "x");
});

Deno.test("jsonpath: errors", () => {
  assert.throws(() => parseJsonPath(""), /jsonpath expression cannot be empty/);
  assert.throws(() => parseJsonPath("{.a}{.b}"), /unexpected path string/);
  assert.throws(() => parseJsonPath("{.a[x]}"), /invalid array index x/);
  assert.throws(() => parseJsonPath("{.a[1:2:3:4]}"), /invalid array index/);
  assert.throws(() => parseJsonPath("{.a[?(@.b=='c']}"), /unclosed filter/);
  assert.throws(() => parseJsonPath("{.a['b]}"), /unclosed quote/);
  assert.throws(
    () => parseJsonPath("{.a b}"),
    /unrecognized character in action: U\+0020 ' '|unrecognized/,
  );
});
