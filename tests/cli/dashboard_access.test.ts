// Who may open the live dashboard, and how a page recovers from a lost stream: loopback without a
// token; any other interface only with --dashboard-token (bearer header or ?token=), as the target's
// control routes; a page whose event stream drops reconnects by itself and catches up with every
// frame (Chromium taken offline and back with the DevTools protocol).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { chromiumTool, openPage, useBrowser } from "../_helpers/browser.ts";
import { runCli } from "../_helpers/cli_spawn.ts";
import { startLiveCli } from "../_helpers/live_cli.ts";

describe("dashboard flags: one clear line and exit 2", () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["--dashboard", "0", "--dashboard-host", "0.0.0.0"],
      /--dashboard-host 0\.0\.0\.0 is not loopback: set --dashboard-token/,
    ],
    [["--dashboard", "0", "--dashboard-token", "short"], /invalid --dashboard-token: expected at least 8/],
    [["--dashboard-exit"], /--dashboard-exit needs --dashboard <PORT>/],
    [["--dashboard", "70000"], /--dashboard must be at most 65535/],
    [["--out", "prometheus=ftp://x/"], /invalid --out "prometheus=ftp:\/\/x\/": expected prometheus=URL/],
  ];
  for (const [flags, message] of cases) {
    it(flags.join(" "), async () => {
      const run = await runCli(["run", "builtin", "-d", "1s", ...flags], { timeoutMs: 30_000 });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    });
  }
});

describe("dashboard port in use", () => {
  it("exit 1 with one line, before the run starts", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const run = await runCli(["run", "builtin", "-d", "1s", "--dashboard", String(port)], {
        timeoutMs: 30_000,
      });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`^lunge: cannot serve the dashboard on 127\\.0\\.0\\.1:${port}: `));
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    } finally {
      busy.close();
    }
  });
});

describe("dashboard with a token", { timeout: 60_000 }, () => {
  it("0.0.0.0 with --dashboard-token: 401 without it, the page and its stream with it; --dashboard-exit ends the process", async () => {
    const token = "s3cret-token";
    const cli = startLiveCli([
      "run",
      "builtin",
      "--rate",
      "50",
      "-d",
      "3s",
      "-w",
      "1",
      "-q",
      "--dashboard",
      "0",
      "--dashboard-host",
      "0.0.0.0",
      "--dashboard-token",
      token,
      "--dashboard-exit",
    ]);
    try {
      const [, port, query] = await cli.waitFor(/live dashboard at http:\/\/0\.0\.0\.0:(\d+)\/(\S*)/);
      assert.equal(query, `?token=${token}`);
      const base = `http://127.0.0.1:${port}/`;
      const denied = await fetch(base);
      await denied.arrayBuffer();
      assert.equal(denied.status, 401);
      const wrong = await fetch(`${base}?token=nope-nope-nope`);
      await wrong.arrayBuffer();
      assert.equal(wrong.status, 401);
      const page = await fetch(`${base}?token=${token}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<h1>lunge live<\/h1>/);
      const frames = await fetch(`${base}frames`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(frames.status, 200);
      assert.ok(Array.isArray(await frames.json()));
      const events = await fetch(`${base}events?token=${token}`);
      assert.equal(events.headers.get("content-type"), "text/event-stream");
      const reader = events.body!.getReader();
      let text = "";
      while (!text.includes("event: init")) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      const done = await cli.done;
      assert.equal(done.code, 0, done.stderr);
      assert.doesNotMatch(done.stderr, /Ctrl-C to stop/);
    } finally {
      cli.interrupt();
      await cli.done;
    }
  });
});

/** `lunge run TARGET… --rate R -d D -w 1 -q --dashboard 0`: one worker, no summary, a dashboard on a free port. */
function quietDashboardRun(
  target: string[],
  rate: number,
  duration: string,
): ReturnType<typeof startLiveCli> {
  return startLiveCli([
    "run",
    ...target,
    "--rate",
    String(rate),
    "-d",
    duration,
    "-w",
    "1",
    "-q",
    "--dashboard",
    "0",
  ]);
}

describe("dashboard page reconnects", { timeout: 90_000 }, () => {
  const browser = useBrowser();

  it("a page that loses its stream reconnects and shows every frame", chromiumTool.options(), async () => {
    if (browser() === null) chromiumTool.require();
    const cli = quietDashboardRun(["builtin"], 100, "8s");
    try {
      const [, url] = await cli.waitFor(/live dashboard at (\S+)/);
      await new Promise((r) => setTimeout(r, 1500));
      const { page, errors } = await openPage(browser()!, url);
      await page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) >= 1, undefined, {
        timeout: 10_000,
      });
      await page.context().setOffline(true);
      await new Promise((r) => setTimeout(r, 2500));
      const during = await page.evaluate(() => Number(document.body.dataset.frames));
      await page.context().setOffline(false);
      // Back online, EventSource reconnects (retry: 1000 ms) and the init event brings the frames it missed.
      await page.waitForFunction(
        (n: number) => Number(document.body.dataset.frames) >= n + 2,
        during,
        { timeout: 15_000 },
      );
      const served = (await (await fetch(new URL("frames", url))).json()) as unknown[];
      // One evaluation: a frame arriving between two reads would make them differ by one.
      const [shown, points] = await page.evaluate(() => [
        Number(document.body.dataset.frames),
        Number(document.getElementById("chart-rate")!.dataset.points),
      ]);
      assert.ok(Math.abs(served.length - shown) <= 1, `${shown} shown, ${served.length} served`);
      assert.equal(points, shown);
      // Errors logged while offline are the browser's own network errors, not the page's.
      assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|net::/.test(e)), []);
    } finally {
      cli.interrupt();
      await cli.done;
    }
  });
});

describe("dashboard labels what a run counts", { timeout: 60_000 }, () => {
  const browser = useBrowser();

  it("a WebSocket run's frames and page say messages, not requests", chromiumTool.options(), async () => {
    if (browser() === null) chromiumTool.require();
    const cli = quietDashboardRun(["builtin:/ws/echo", "--message", "hi"], 50, "6s");
    try {
      const [, url] = await cli.waitFor(/live dashboard at (\S+)/);
      const { page, errors } = await openPage(browser()!, url);
      await page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) >= 2, undefined, {
        timeout: 15_000,
      });
      const frames = (await (await fetch(new URL("frames", url))).json()) as Array<{ unit: string }>;
      assert.ok(frames.length > 0);
      assert.deepEqual([...new Set(frames.map((f) => f.unit))], ["messages"]);
      const labels = await page.$$eval(".card .label", (ls) => ls.map((l) => l.textContent));
      assert.ok(labels.includes("Messages") && labels.includes("Msg/s now"), labels.join(", "));
      assert.ok(!labels.includes("Requests"), labels.join(", "));
      assert.deepEqual(errors, []);
    } finally {
      cli.interrupt();
      await cli.done;
    }
  });
});
