// The live table on a real terminal: the CLI runs inside a tmux pane (a pseudo-terminal) while
// a Deployment goes from InProgress to Current, and the final screen is checked.

import assert from "node:assert/strict";
import { MAIN, ROOT, startCluster, type TestCluster } from "./fixtures/harness.ts";
import { deployment, pod, putDeploymentTree, replicaSet } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

async function tmux(socket: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", socket, "-f", "/dev/null", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A CLI run in a detached tmux pane of `width` x `height` cells. */
async function startInTmux(args: string[], env: string[], width = 120, height = 30) {
  const socket = `kstatus-test-${crypto.randomUUID().slice(0, 8)}`;
  const cmd = [Deno.execPath(), "run", "-A", "--quiet", MAIN, ...args].map(shellQuote).join(" ");
  // The pane stays open after the CLI exits so its last screen can be read; the shell's own
  // SIGINT trap keeps it alive when Ctrl-C is typed (the CLI still gets the default handling).
  const script = `trap true INT; env -u NO_COLOR TERM=xterm-256color ${env.join(" ")} ${cmd}; ` +
    `echo "exit=$?"; sleep 60`;
  await tmux(socket, [
    "new-session",
    "-d",
    "-x",
    String(width),
    "-y",
    String(height),
    "-c",
    ROOT,
    "sh",
    "-c",
    script,
  ]);
  /** The visible screen; with `history`, the scrollback above it too. */
  const screen = ({ escapes = false, history = false } = {}) =>
    tmux(socket, [
      "capture-pane",
      "-p",
      ...(escapes ? ["-e"] : []),
      ...(history ? ["-S", "-"] : []),
      "-t",
      "0",
    ]);
  const waitForScreen = async (pattern: RegExp, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await screen();
      if (pattern.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`no ${pattern} on screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    socket,
    screen,
    waitForScreen,
    async [Symbol.asyncDispose]() {
      await tmux(socket, ["kill-server"]).catch(() => {});
    },
  };
}

function finishRollout(c: TestCluster): void {
  c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "ready"));
  c.api.put(replicaSet("web-7d9f", "web", { ready: 2 }));
  c.api.put(deployment("web", { ready: 2 }));
}

/** The screen's lines without the blank ones at the bottom. */
function lines(screen: string): string[] {
  const all = screen.split("\n");
  while (all.length > 0 && all.at(-1)!.trim() === "") all.pop();
  return all;
}

Deno.test("live table: redrawn in place, tree, elapsed time, summary", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  c.api.put(deployment("api", { ready: 3, replicas: 3 }));
  await using term = await startInTmux(["wait", "deploy/web", "deploy/api", ...c.flags], []);
  const during = await term.waitForScreen(/Pod\/web-7d9f-b\s+InProgress/);
  assert.match(during, /^kstatus: 1\/2 Current {2}\(\d+(ms|\.\ds)\) {2}namespace default$/m);
  // Let the 1-second redraw move the clock at least once before finishing.
  await term.waitForScreen(/\((1\.\d|[2-9]\.\d)s\)/);
  finishRollout(c);
  const final = lines(await term.waitForScreen(/^exit=\d+$/m));

  assert.equal(final.at(-1), "exit=0", final.join("\n"));
  // One table: the earlier frames were overwritten, not scrolled.
  assert.equal(final.filter((l) => l.startsWith("RESOURCE")).length, 1, final.join("\n"));
  assert.equal(final.filter((l) => l.startsWith("kstatus: ")).length, 1, final.join("\n"));
  assert.ok(!final.some((l) => l.includes("InProgress")), final.join("\n"));
  const blankAge = (l: string) => l.replace(/ \d+s( *) {2}/, (_m, pad) => ` ..${pad}  `);
  assert.match(final[0], /^kstatus: 2\/2 Current {2}\((\d+\.\d)s\) {2}namespace default$/);
  assert.deepEqual(final.slice(1, 7).map(blankAge), [
    "RESOURCE                STATUS   AGE  MESSAGE",
    "Deployment/api          Current  ..   Deployment is available. Replicas: 3",
    "Deployment/web          Current  ..   Deployment is available. Replicas: 2",
    "└─ ReplicaSet/web-7d9f  Current  ..   ReplicaSet is available. Replicas: 2",
    "   ├─ Pod/web-7d9f-a    Current  ..   Pod is Ready",
    "   └─ Pod/web-7d9f-b    Current  ..   Pod is Ready",
  ], final.join("\n"));
  assert.match(final[7], /^all 2 resources Current after \d+\.\ds$/);
  assert.equal(final.length, 9, final.join("\n"));
  // Nothing of the earlier frames went to the scrollback either.
  assert.deepEqual(lines(await term.screen({ history: true })), final);

  // Status colours on a terminal: Current is green.
  const coloured = await term.screen({ escapes: true });
  assert.ok(coloured.includes("\x1b[32mCurrent"), coloured);
});

Deno.test(
  "live table: taller than the terminal, cut while live, whole at the end",
  opts,
  async () => {
    await using c = await startCluster();
    const names = Array.from({ length: 25 }, (_, i) => `app-${String(i).padStart(2, "0")}`);
    for (const name of names) c.api.put(deployment(name, { ready: 1 }));
    await using term = await startInTmux(
      ["wait", ...names.map((n) => `deploy/${n}`), ...c.flags],
      [],
      100,
      15,
    );
    const during = lines(await term.waitForScreen(/… \d+ more lines/));
    assert.ok(during.length <= 14, during.join("\n"));
    assert.match(during[0], /^kstatus: 0\/25 Current/);
    assert.match(during.at(-1)!, /^… 14 more lines \(the whole table is printed at the end\)$/);
    for (const name of names) c.api.put(deployment(name, { ready: 2 }));
    await term.waitForScreen(/^exit=\d+$/m);
    // Screen and scrollback together: the last, whole table once, and no frame before it.
    const all = lines(await term.screen({ history: true }));
    assert.equal(all.filter((l) => l.startsWith("RESOURCE")).length, 1, all.join("\n"));
    assert.equal(all.filter((l) => l.startsWith("kstatus: ")).length, 1, all.join("\n"));
    assert.ok(!all.some((l) => l.startsWith("…")), all.join("\n"));
    assert.equal(all.filter((l) => /^Deployment\/app-\d\d +Current/.test(l)).length, 25);
    assert.deepEqual(all.slice(-2), [
      "all 25 resources Current after " + all.at(-2)!.split(" ").at(-1),
      "exit=0",
    ]);
  },
);

Deno.test(
  "live table: lines never wider than the terminal, redrawn in place",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "starting");
    await using term = await startInTmux(["wait", "deploy/web", ...c.flags], [], 45);
    await term.waitForScreen(/InProgress/);
    await term.waitForScreen(/\((1\.\d|[2-9]\.\d)s\)/);
    finishRollout(c);
    await term.waitForScreen(/^exit=\d+$/m);
    const all = lines(await term.screen({ history: true }));
    assert.equal(all.at(-1), "exit=0", all.join("\n"));
    assert.equal(all.filter((l) => l.startsWith("RESOURCE")).length, 1, all.join("\n"));
    assert.equal(all.filter((l) => l.startsWith("kstatus: ")).length, 1, all.join("\n"));
    assert.ok(!all.some((l) => l.includes("InProgress")), all.join("\n"));
    assert.ok(all.every((l) => l.length <= 45), all.join("\n"));
    // Children are told apart by the end of their names.
    assert.ok(all.some((l) => /^ {3}└─ Pod\/…-b +Current/.test(l)), all.join("\n"));
  },
);

Deno.test("live table: NO_COLOR turns the colours off", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  await using term = await startInTmux(["wait", "deploy/web", ...c.flags], ["NO_COLOR=1"]);
  await term.waitForScreen(/^exit=0$/m);
  const coloured = await term.screen({ escapes: true });
  assert.match(coloured, /Deployment\/web\s+Current/);
  assert.doesNotMatch(coloured, new RegExp("\x1b\\[3\\dm"), "no foreground colour codes");
});

Deno.test("live table: a narrow terminal cuts messages instead of wrapping", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  await using term = await startInTmux(["wait", "deploy/web", ...c.flags], [], 70);
  const final = lines(await term.waitForScreen(/^exit=\d+$/m));
  assert.equal(final.at(-1), "exit=0");
  assert.ok(final.every((l) => l.length <= 70), final.join("\n"));
  assert.equal(final.filter((l) => l.startsWith("RESOURCE")).length, 1, final.join("\n"));
  assert.match(final.join("\n"), /Deployment is available\. Replica\S*…/);
});

Deno.test("live table: SIGINT leaves the table readable and prints the summary", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  await using term = await startInTmux(["wait", "deploy/web", ...c.flags], []);
  await term.waitForScreen(/Pod\/web-7d9f-b\s+InProgress/);
  // Ctrl-C typed in the pane: the terminal sends SIGINT to the foreground process group.
  await tmux(term.socket, ["send-keys", "-t", "0", "C-c"]);
  const final = lines(await term.waitForScreen(/^exit=\d+$/m));
  assert.equal(final.at(-1), "exit=130", final.join("\n"));
  assert.equal(final.filter((l) => l.startsWith("RESOURCE")).length, 1, final.join("\n"));
  assert.ok(final.some((l) => /└─ Pod\/web-7d9f-b\s+InProgress/.test(l)), final.join("\n"));
  assert.ok(
    final.some((l) => /^interrupted \(SIGINT\) after \S+: 1 of 1 not Current$/.test(l)),
    final.join("\n"),
  );
});

Deno.test(
  "live table: a resize mid-wait redraws at the new width, no debris on the screen",
  opts,
  async () => {
    await using c = await startCluster();
    const name = "checkout-frontend-web-service-canary";
    putDeploymentTree(c.api, name, "starting");
    await using term = await startInTmux(["wait", `deploy/${name}`, ...c.flags], [], 160, 20);
    await term.waitForScreen(/Pod\/checkout-frontend-web-service-canary-\S+-b\s+InProgress/);
    await tmux(term.socket, ["resize-window", "-t", "0", "-x", "60", "-y", "20"]);
    // Redrawn at once (SIGWINCH), not at the next tick: the suffix form of a narrow table.
    const narrow = lines(await term.waitForScreen(/└─ Pod\/…-b\s+InProgress/, 900));
    assert.ok(narrow.every((l) => l.length <= 60), narrow.join("\n"));
    assert.equal(narrow.filter((l) => l.startsWith("RESOURCE")).length, 1, narrow.join("\n"));
    assert.equal(narrow.filter((l) => l.startsWith("kstatus: ")).length, 1, narrow.join("\n"));
    await tmux(term.socket, ["resize-window", "-t", "0", "-x", "120", "-y", "20"]);
    await term.waitForScreen(
      /└─ Pod\/checkout-frontend-web-service-canary-\S+-b\s+InProgress/,
      900,
    );
    const ns = "default";
    c.api.put(pod(`${name}-7d9f-b`, `${name}-7d9f`, name, "ready", ns));
    c.api.put(replicaSet(`${name}-7d9f`, name, { ready: 2 }));
    c.api.put(deployment(name, { ready: 2 }));
    // The visible screen: the last table once, nothing of the earlier frames. (A terminal that
    // re-wraps long lines when it narrows, as tmux does, may push rows drawn before the resize
    // into its scrollback, out of the cursor's reach: that copy stays in the scrollback.)
    const final = lines(await term.waitForScreen(/^exit=\d+$/m));
    assert.equal(final.at(-1), "exit=0", final.join("\n"));
    assert.equal(final.filter((l) => l.startsWith("RESOURCE")).length, 1, final.join("\n"));
    assert.equal(final.filter((l) => l.startsWith("kstatus: ")).length, 1, final.join("\n"));
    assert.ok(!final.some((l) => l.includes("InProgress")), final.join("\n"));
    assert.ok(final.every((l) => l.length <= 120), final.join("\n"));
    assert.equal(final.length, 8, final.join("\n"));
  },
);

Deno.test(
  "live table: on a short terminal the resource not ready is shown first",
  opts,
  async () => {
    await using c = await startCluster();
    const names = Array.from({ length: 25 }, (_, i) => `app-${String(i).padStart(2, "0")}`);
    for (const name of names) c.api.put(deployment(name, { ready: name === "app-24" ? 1 : 2 }));
    await using term = await startInTmux(
      ["wait", ...names.map((n) => `deploy/${n}`), ...c.flags],
      [],
      100,
      15,
    );
    const during = lines(await term.waitForScreen(/Deployment\/app-24\s+InProgress/));
    assert.ok(during.length <= 14, during.join("\n"));
    assert.match(during[2], /^Deployment\/app-24\s+InProgress/, during.join("\n"));
    c.api.put(deployment("app-24", { ready: 2 }));
    await term.waitForScreen(/^exit=0$/m);
  },
);

Deno.test("live table: TERM=dumb gets event lines, no cursor movement", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  await using term = await startInTmux(["wait", "deploy/web", ...c.flags], ["TERM=dumb"]);
  const final = lines(await term.waitForScreen(/^exit=\d+$/m));
  assert.equal(final.at(-1), "exit=0", final.join("\n"));
  assert.ok(!final.some((l) => l.startsWith("RESOURCE")), final.join("\n"));
  assert.ok(
    final.some((l) => /^deployment\.apps\/default\/web\b.*Current/.test(l)),
    final.join("\n"),
  );
});

Deno.test(
  "live table: the note of a resource not found yet is part of the block",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "ready");
    await using term = await startInTmux(
      ["wait", "deploy/web", "deploy/ghost", "--timeout", "3s", ...c.flags],
      [],
      80,
      12,
    );
    const final = lines(await term.waitForScreen(/^exit=\d+$/m, 15_000));
    assert.equal(final.at(-1), "exit=2", final.join("\n"));
    assert.equal(final.filter((l) => l.startsWith("kstatus: ")).length, 1, final.join("\n"));
    assert.equal(final.filter((l) => l.startsWith("RESOURCE")).length, 1, final.join("\n"));
    assert.equal(
      final.filter((l) => l.startsWith("note: deployment.apps/default/ghost does not exist yet"))
        .length,
      1,
      final.join("\n"),
    );
    assert.deepEqual(lines(await term.screen({ history: true })), final);
  },
);
