// `lunge run --dashboard 0` in a real headless Chromium (playwright-core): a page opened mid-run
// draws its charts (screenshot pixels of the series colours, with a blank control) without a
// console error, a page opened late gets the whole series, and at the end the open page turns into
// the final report, byte for byte the `--html` file, whose figures are the JSON result's.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { chromiumTool, openPage, seriesPixels, useBrowser } from "../_helpers/browser.ts";
import { tempDir } from "../_helpers/chromium.ts";
import { startLiveCli } from "../_helpers/live_cli.ts";
import { formatCount, formatMs } from "../../src/report/mod.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import type { DashboardFrame } from "../../src/report/dashboard_frame.ts";

/** Series colours of the rate and latency charts (the page's palette, first three). */
const SERIES = ["#2563eb", "#dc2626", "#16a34a"];
/** Pixels of series colour a drawn chart has at least (a line across ~1000 px); a blank one has none. */
const DRAWN = 300;
/** `LUNGE_DOCS_SCREENSHOTS=1` also writes the screenshots of docs/ (docs/images/dashboard-*.png). */
const DOCS = process.env.LUNGE_DOCS_SCREENSHOTS === "1";

describe("live dashboard in Chromium", { timeout: 120_000 }, () => {
  const browser = useBrowser();
  const dir = tempDir("lunge-dash-");
  after(() => dir.remove());

  it(
    "mid-run charts draw, a late page has the whole series, the end is the --html report",
    chromiumTool.options(),
    async () => {
      if (browser() === null) chromiumTool.require();
      const json = join(dir.path, "r.json");
      const html = join(dir.path, "r.html");
      const cli = startLiveCli([
        "run",
        "builtin",
        "--targets",
        "examples/targets.http",
        "--rate",
        "150",
        "-d",
        "14s", // room for a busy machine: the page must still be live for the late-page check
        "-w",
        "1",
        "--warmup",
        "1s",
        "--threshold",
        "p99<2s",
        "--threshold",
        "errors<50%",
        "--dashboard",
        "0",
        "--json",
        json,
        "--html",
        html,
        "-q",
      ]);
      try {
        const [, url] = await cli.waitFor(/live dashboard at (\S+)/);
        // Mid-run: after a few measured seconds.
        await new Promise((r) => setTimeout(r, 3500));
        const early = await openPage(browser()!, url);
        await early.page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) >= 2, undefined, {
          timeout: 10_000,
        });
        const phase = await early.page.$eval("#phase", (e) => e.textContent);
        assert.ok(["warm-up", "steady", "ramp-up"].includes(phase ?? ""), `phase ${phase}`);
        // The request set's third target answers 404: the errors chart has a series to draw.
        // A chart's lines grow a second at a time: on a busy machine the first frames can hold too few
        // points for a long line, so each chart gets a few seconds (while the run goes on) to draw.
        for (const chart of ["#chart-rate", "#chart-latency", "#chart-errors", "#chart-connections"]) {
          let drawn = await seriesPixels(early.page, `${chart} canvas`, SERIES);
          for (const until = Date.now() + 4000; drawn < DRAWN && Date.now() < until;) {
            await new Promise((r) => setTimeout(r, 500));
            drawn = await seriesPixels(early.page, `${chart} canvas`, SERIES);
          }
          assert.ok(drawn >= DRAWN, `${chart} looks blank: ${drawn} series pixels`);
        }
        // The control: a part of the page with no series drawn counts (next to) none.
        assert.ok((await seriesPixels(early.page, "#chart-rate h3", SERIES)) < DRAWN);
        const thresholdsShown = await early.page.$$eval("#thresholds tr", (rows) => rows.length);
        assert.equal(thresholdsShown, 3); // header + two thresholds
        const names = await early.page.$$eval(
          "#names tr td:first-child",
          (cells) => cells.map((c) => c.textContent),
        );
        assert.equal(names.length, 3, `per-name rows: ${names}`);
        assert.match(await early.page.$eval("#errors", (e) => e.textContent ?? ""), /HTTP 404/);
        if (DOCS) {
          mkdirSync("docs/images", { recursive: true });
          await early.page.screenshot({ path: "docs/images/dashboard-live.png", fullPage: true });
        }
        // The sent series draws: alone on the rate chart (the others hidden from its legend), its colour
        // shows across the chart; hidden too, the chart has (next to) none of it. After the screenshot.
        const sentColor = await early.page.$$eval("#chart-rate .u-legend tr.u-series", (rows) => {
          const row = rows.find((r) => r.querySelector(".u-label")?.textContent === "sent");
          const rgb = getComputedStyle(row!.querySelector(".u-marker")!).borderColor.match(/\d+/g)!;
          return "#" + rgb.slice(0, 3).map((c) => Number(c).toString(16).padStart(2, "0")).join("");
        });
        await early.page.$$eval("#chart-rate .u-legend tr.u-series", (rows) =>
          rows.slice(1).forEach((r) => {
            if (r.querySelector(".u-label")?.textContent !== "sent") {
              (r.querySelector("th") as HTMLElement).click();
            }
          }));
        await new Promise((r) => setTimeout(r, 150));
        const sentPixels = await seriesPixels(early.page, "#chart-rate canvas", [sentColor]);
        assert.ok(sentPixels >= DRAWN, `the sent series (${sentColor}) looks blank: ${sentPixels} pixels`);
        await early.page.$$eval("#chart-rate .u-legend tr.u-series", (rows) =>
          rows.forEach((r) => {
            if (r.querySelector(".u-label")?.textContent === "sent") {
              (r.querySelector("th") as HTMLElement).click();
            }
          }));
        await new Promise((r) => setTimeout(r, 150));
        assert.ok((await seriesPixels(early.page, "#chart-rate canvas", [sentColor])) < DRAWN);

        // A page opened later gets every frame so far, not just the new ones.
        await new Promise((r) => setTimeout(r, 2000));
        const late = await openPage(browser()!, url);
        await late.page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) > 0, undefined, {
          timeout: 10_000,
        });
        // Frames and chart points read in one evaluation: a frame arriving between two reads would
        // make them differ by one (seen on a busy machine).
        const [lateFrames, points] = await late.page.evaluate(() => [
          Number(document.body.dataset.frames),
          Number(document.getElementById("chart-rate")!.dataset.points),
        ]);
        const served = (await (await fetch(new URL("frames", url))).json()) as unknown[];
        assert.ok(lateFrames >= 5, `late page has ${lateFrames} frames`);
        assert.ok(Math.abs(served.length - lateFrames) <= 1, `${lateFrames} shown, ${served.length} served`);
        assert.equal(points, lateFrames);

        // The end: the open page reloads into the final report.
        await cli.waitFor(/the dashboard shows the result at/, 30_000);
        await early.page.waitForFunction(() => document.title.startsWith("lunge report"), undefined, {
          timeout: 10_000,
        });
        const result = JSON.parse(readFileSync(json, "utf8")) as RunResult;
        const finalPage = await early.page.content();
        const served_ = await (await fetch(url)).text();
        assert.equal(served_, readFileSync(html, "utf8"), "the final page is the --html report");
        const cards = await early.page.$$eval(".card", (cs) =>
          Object.fromEntries(
            cs.map((
              c,
            ) => [
              c.querySelector(".label")!.textContent,
              c.querySelector(".value")!.childNodes[0].textContent,
            ]),
          ));
        assert.equal(cards["Requests"], formatCount(result.snapshot.totalRequests));
        assert.equal(cards["Failures"], formatCount(result.snapshot.failedRequests));
        assert.equal(cards["p99"], formatMs(result.snapshot.latency.p99));
        assert.ok(finalPage.includes("p99&lt;2s") || finalPage.includes("p99<2s"));
        // The report's charts are SVG: they drew.
        assert.ok((await early.page.$$("svg path, svg polyline")).length > 0);
        // Sent against completed: never fewer sent than completed in any frame; the run drained, so at
        // the end every measured send completed, and the last frame's count is no more than that.
        const frames = (await (await fetch(new URL("frames", url))).json()) as DashboardFrame[];
        for (const f of frames) {
          assert.ok(
            f.totals.sent !== null && f.totals.sent >= f.totals.requests,
            `t=${f.t}: ${JSON.stringify(f.totals)}`,
          );
        }
        assert.ok(frames.some((f) => (f.sentRate ?? 0) > 0), "a sent rate was charted");
        assert.equal(result.snapshot.sent, result.snapshot.totalRequests);
        assert.ok(frames.at(-1)!.totals.sent! <= result.snapshot.sent!);
        const resultServed = (await (await fetch(new URL("result", url))).json()) as RunResult;
        assert.equal(resultServed.snapshot.totalRequests, result.snapshot.totalRequests);
        if (DOCS) await early.page.screenshot({ path: "docs/images/dashboard-final.png", fullPage: true });
        assert.deepEqual([...early.errors, ...late.errors], []);
        cli.interrupt();
        const done = await cli.done;
        assert.equal(done.code, 0, done.stderr);
      } finally {
        cli.interrupt();
        await cli.done;
      }
    },
  );
});
