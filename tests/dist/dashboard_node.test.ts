// The live dashboard on Node, through the single-file CLI bundle (`dist/lunge.mjs` built by
// scripts/build.ts into a temp directory): the page is served with uPlot inside, Chromium draws
// its charts without a console error, and the run's remote write reports its drops on Node too.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromiumTool, openPage, seriesPixels, useBrowser } from "../_helpers/browser.ts";
import { tempDir } from "../_helpers/chromium.ts";
import { DENO, NODE, ROOT, runCommand } from "../_helpers/dist_package.ts";
import { startLiveCli } from "../_helpers/live_cli.ts";
import { freePort } from "../_helpers/free_port.ts";

describe("dashboard on Node through the bundle", { timeout: 180_000 }, () => {
  const browser = useBrowser();
  const dir = tempDir("lunge-dash-node-");
  after(() => dir.remove());

  it(
    "node dist/lunge.mjs run --dashboard 0: the page draws in Chromium",
    chromiumTool.options(),
    async () => {
      if (browser() === null) chromiumTool.require();
      const build = await runCommand(
        DENO,
        ["run", "-A", "scripts/build.ts", "--out", dir.path, "--keep-entries", "--no-types"],
        { cwd: ROOT, timeoutMs: 170_000 },
      );
      assert.equal(build.code, 0, build.stderr);
      const down = `http://127.0.0.1:${await freePort()}/api/v1/write`;
      const cli = startLiveCli(
        [
          "run",
          "builtin",
          "--rate",
          "100",
          "-d",
          "5s",
          "-w",
          "1",
          "-q",
          "--dashboard",
          "0",
          "--dashboard-exit",
          "--out",
          `prometheus=${down}`,
        ],
        { command: [NODE, join(dir.path, "lunge.mjs")] },
      );
      try {
        const [, url] = await cli.waitFor(/live dashboard at (\S+)/);
        await new Promise((r) => setTimeout(r, 2500));
        const { page, errors } = await openPage(browser()!, url);
        await page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) >= 2, undefined, {
          timeout: 10_000,
        });
        // Planned, sent and completed (the last drawn on top where they agree).
        assert.ok((await seriesPixels(page, "#chart-rate canvas", ["#2563eb", "#dc2626", "#16a34a"])) >= 300);
        assert.deepEqual(errors, []);
        const done = await cli.done;
        assert.equal(done.code, 0, done.stderr);
        assert.match(
          done.stderr,
          /prometheus \S+: 0 samples sent in 0 batches, [\d,]+ dropped in \d+ batches/,
        );
      } finally {
        cli.interrupt();
        await cli.done;
      }
    },
  );
});
