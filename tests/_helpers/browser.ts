/**
 * Test helper: headless Chromium driven with playwright-core (the Debian
 * binary found by `findChromium`), pages that record their console errors,
 * and a screenshot check that counts the pixels of a chart's series colours
 * (Chromium itself decodes the PNG, so no PNG decoder is needed here).
 *
 * @module
 */
import { after, before } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { findChromium } from "./chromium.ts";
import { type NeededTool, needTool } from "./tools.ts";

/** chromium, found or not: skip outside CI, fail under CI=true when missing. */
export const chromiumTool: NeededTool = needTool("chromium", findChromium(), "apt-get install -y chromium");

/**
 * Launches headless Chromium.
 *
 * @example
 * ```ts
 * import { launchBrowser } from "./browser.ts";
 * const browser = await launchBrowser();
 * await browser.close();
 * ```
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumTool.require(),
    headless: true,
    // No background networking: this machine's closed network refuses Chromium's own connections.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page and the errors it logged (console errors and uncaught exceptions). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1800 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: "load" });
  return { page, errors };
}

/**
 * Screenshots the element `selector` and counts its pixels within a small
 * distance of any of `colors` (`#rrggbb`): a chart whose series drew none of
 * them is blank.
 *
 * @example
 * ```ts
 * import { seriesPixels } from "./browser.ts";
 * declare const page: import("playwright-core").Page;
 * console.log(await seriesPixels(page, "#chart-rate", ["#2563eb"]));
 * ```
 */
export async function seriesPixels(page: Page, selector: string, colors: readonly string[]): Promise<number> {
  const element = await page.$(selector);
  if (element === null) throw new Error(`no element ${selector}`);
  const png = (await element.screenshot({ type: "png" })).toString("base64");
  return await page.evaluate(
    async ({ b64, wanted }: { b64: string; wanted: string[] }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const rgb = wanted.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        for (const [r, g, b] of rgb) {
          if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 40) {
            n++;
            break;
          }
        }
      }
      return n;
    },
    { b64: png, wanted: [...colors] },
  );
}

/**
 * Inside a `describe`: launches Chromium before its tests (when there is one) and closes it after;
 * returns a getter of the browser (null when Chromium is missing).
 *
 * @example
 * ```ts
 * import { describe, it } from "node:test";
 * import { chromiumTool, useBrowser } from "./browser.ts";
 * describe("page", () => {
 *   const browser = useBrowser();
 *   it("opens", chromiumTool.options(), async () => {
 *     await browser()!.newPage();
 *   });
 * });
 * ```
 */
export function useBrowser(): () => Browser | null {
  let browser: Browser | null = null;
  before(async () => {
    if (chromiumTool.path !== null) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}
