import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { goalsText, goalTarget, parseGoal, parseGoals } from "../../lib/goals/goal.ts";
import { objectChoice } from "../../lib/goals/annotations.ts";

Deno.test("parseGoal: kstatus keywords and kubectl's, case-insensitive", () => {
  for (
    const [text, type] of [
      ["current", "current"],
      ["deleted", "deleted"],
      ["delete", "deleted"],
      ["DELETE", "deleted"],
      ["known", "known"],
      ["complete", "complete"],
      ["create", "create"],
      ["Create", "create"],
    ]
  ) assert.equal(parseGoal(text).type, type, text);
});

Deno.test("parseGoal: condition=TYPE[=VALUE], True by default, value as given", () => {
  assert.deepEqual(parseGoal("condition=Available"), {
    type: "condition",
    text: "condition=Available=True",
    condition: "Available",
    value: "True",
  });
  const g = parseGoal("condition=Available=true");
  assert.equal(g.type === "condition" && g.value, "true");
  const f = parseGoal("condition=Ready=False");
  assert.equal(f.type === "condition" && f.value, "False");
});

Deno.test("parseGoal: jsonpath in kubectl's spellings", () => {
  for (
    const [text, normal] of [
      ["jsonpath={.status.phase}=Running", "jsonpath={.status.phase}=Running"],
      ["jsonpath='{.status.phase}'=Running", "jsonpath={.status.phase}=Running"],
      ["jsonpath=.status.phase=Running", "jsonpath={.status.phase}=Running"],
      ["jsonpath=status.phase=Running", "jsonpath={.status.phase}=Running"],
      ["jsonpath={status.phase}='Running'", "jsonpath={.status.phase}=Running"],
      ["jsonpath={.status.loadBalancer.ingress}", "jsonpath={.status.loadBalancer.ingress}"],
      [
        `jsonpath={.status.conditions[?(@.type=="Ready")].status}=True`,
        `jsonpath={.status.conditions[?(@.type=="Ready")].status}=True`,
      ],
    ]
  ) assert.equal(parseGoal(text).text, normal, text);
});

Deno.test("parseGoal: what cannot be parsed says what was expected (kubectl's wording)", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /expected current, deleted \(or delete\), known, complete, create, condition=TYPE/],
    ["ready", /--for "ready": expected current, deleted/],
    ["condition=", /expected condition=TYPE\[=VALUE\]/],
    ["condition=Ready=", /expected a value after the second =/],
    ["jsonpath=", /jsonpath expression cannot be empty/],
    ["jsonpath={.a}=", /jsonpath wait has to have a value after equal sign/],
    [
      "jsonpath={.a}=1=2",
      /jsonpath wait format must be --for=jsonpath='\{.status.readyReplicas\}'=3/,
    ],
    ["jsonpath={.a}{.b}", /unexpected path string, expected a 'name1.name2'/],
    ["jsonpath={.a[}", /unterminated array|unrecognized/],
    ["jsonpath={.a[?(@.b == )]}", /unrecognized character in action/],
    ["cel=", /expected a CEL expression after cel=/],
  ];
  for (const [text, want] of cases) {
    assert.throws(
      () => parseGoal(text),
      (e) => e instanceof InputError && want.test(e.message),
      text,
    );
  }
});

Deno.test("parseGoals: none is current; repeats collapse; deleted does not combine", () => {
  assert.deepEqual(parseGoals([]).map((g) => g.type), ["current"]);
  assert.deepEqual(parseGoals(["create", "create", "condition=Ready"]).map((g) => g.text), [
    "create",
    "condition=Ready=True",
  ]);
  assert.throws(() => parseGoals(["delete", "condition=Ready"]), /cannot be combined/);
});

Deno.test("goal words for summaries", () => {
  assert.equal(goalTarget(parseGoals([])), "Current");
  assert.equal(goalTarget(parseGoals(["delete"])), "deleted");
  assert.equal(goalTarget(parseGoals(["complete"])), "complete");
  assert.equal(goalTarget(parseGoals(["create"])), "created");
  assert.equal(goalTarget(parseGoals(["condition=Ready"])), "at goal (condition=Ready=True)");
  assert.equal(goalsText(parseGoals(["create", "current"])), "create and current");
});

Deno.test("annotations: skip, for, and what is refused", () => {
  const obj = (annotations: Record<string, string>) => ({ metadata: { annotations } });
  assert.equal(objectChoice(obj({ other: "x" })), undefined);
  assert.deepEqual(objectChoice(obj({ "kstatus.dev/skip": "true" })), { skip: true });
  assert.deepEqual(objectChoice(obj({ "kstatus.dev/skip": "False" })), { skip: false });
  assert.equal(
    objectChoice(obj({ "kstatus.dev/for": "condition=Ready" }))?.goal?.text,
    "condition=Ready=True",
  );
  assert.throws(
    () => objectChoice(obj({ "kstatus.dev/skip": "yes" })),
    /expected "true" or "false"/,
  );
  assert.throws(
    () => objectChoice(obj({ "kstatus.dev/for": "soon" })),
    /annotation kstatus.dev\/for: "soon": expected current/,
  );
  assert.throws(
    () => objectChoice(obj({ "kstatus.dev/skp": "true" })),
    /unknown annotation kstatus.dev\/skp/,
  );
});
