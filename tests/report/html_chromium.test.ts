import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { renderHtml } from "../../src/report/_html.ts";
import { openRunResult, refusedRunResult } from "../fixtures/run_result.ts";
import { findChromium, pngSize, renderHeadless, tempDir } from "../_helpers/chromium.ts";
import { needTool } from "../_helpers/tools.ts";

const chromium = needTool(
  "chromium",
  findChromium(),
  "Debian: apt-get install -y chromium; or set LUNGE_CHROMIUM",
);

// Chromium takes 1-3 s to start on a small machine; Bun's default test timeout is 5 s.
const TIMEOUT = chromium.options({ timeout: 60_000 });

describe("HTML report in headless Chromium", () => {
  it(
    "renders the open-model report with its three charts, loading nothing, logging nothing",
    TIMEOUT,
    async () => {
      const dir = tempDir("lunge-html-");
      try {
        const htmlPath = join(dir.path, "report.html");
        writeFileSync(htmlPath, renderHtml(openRunResult()));
        const render = await renderHeadless(chromium.require(), htmlPath, {
          workDir: dir.path,
          timeoutMs: 45_000,
        });
        assert.equal(render.exitCode, 0, render.stderr.slice(-2000));
        // The page has no script: any console message is a CSP violation (a network load) or an error.
        assert.deepEqual(render.consoleMessages, []);
        const svgs = [...render.dom.matchAll(/<svg class="chart" data-chart="([^"]+)"/g)].map((m) => m[1]);
        assert.deepEqual(svgs, ["rps", "latency", "distribution"]);
        assert.equal((render.dom.match(/<polyline class="series"/g) ?? []).length, 5);
        assert.ok((render.dom.match(/<rect class="bar"/g) ?? []).length >= 10);
        // The charts sit inside their figures: the parser did not have to repair the markup.
        assert.equal(
          (render.dom.match(/<figure>\s*<figcaption>[^<]*<\/figcaption>\s*<svg class="chart"/g) ?? []).length,
          3,
        );
        assert.match(
          render.dom,
          /<title>lunge report: GET http:\/\/127\.0\.0\.1:8080\/api\/items\?limit=10<\/title>/,
        );
        assert.equal(pngSize(render.screenshotPath).width, 1200);
        // A blank page compresses to a few KiB; charts and tables do not.
        assert.ok(render.screenshotBytes > 50_000, `screenshot only ${render.screenshotBytes} bytes`);
        // LUNGE_KEEP_SCREENSHOT=/tmp/report.png keeps the picture for a human to look at.
        const keep = process.env.LUNGE_KEEP_SCREENSHOT;
        if (keep) copyFileSync(render.screenshotPath, keep);
      } finally {
        dir.remove();
      }
    },
  );

  it(
    "renders a refused, interrupted run with empty charts and a hostile URL kept as text",
    TIMEOUT,
    async () => {
      const dir = tempDir("lunge-html-");
      try {
        const result = refusedRunResult();
        result.target.url = `http://127.0.0.1:9/"><script>console.error("pwned")</script>`;
        const htmlPath = join(dir.path, "report.html");
        writeFileSync(htmlPath, renderHtml(result));
        const render = await renderHeadless(chromium.require(), htmlPath, {
          workDir: dir.path,
          timeoutMs: 45_000,
        });
        assert.equal(render.exitCode, 0, render.stderr.slice(-2000));
        assert.deepEqual(render.consoleMessages, []);
        assert.doesNotMatch(render.dom, /<script/);
        assert.match(render.dom, /INTERRUPTED: partial result/);
        assert.match(
          render.dom,
          /target refused connections: is it running at http:\/\/127\.0\.0\.1:9\/"&gt;&lt;script&gt;/,
        );
        assert.equal((render.dom.match(/<svg class="chart"/g) ?? []).length, 3);
      } finally {
        dir.remove();
      }
    },
  );
});
