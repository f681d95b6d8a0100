/**
 * Test helper: finds a Chromium binary and renders a local HTML file with it
 * in headless mode (DOM dump, screenshot, console messages). Tests may use
 * `node:*` directly; this stays out of `src/`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";

const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/**
 * The path of a Chromium binary: `$LUNGE_CHROMIUM` if set, else the first of
 * chromium / chromium-browser / google-chrome on `$PATH`; `null` when none.
 *
 * @example
 * ```ts
 * import { findChromium } from "./chromium.ts";
 * console.log(findChromium() ?? "no chromium");
 * ```
 */
export function findChromium(): string | null {
  const explicit = process.env.LUNGE_CHROMIUM;
  if (explicit && existsSync(explicit)) return explicit;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      if (dir !== "" && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return null;
}

/** What a headless render produced. */
export interface HeadlessRender {
  /** Exit code of Chromium (`null` when killed on timeout). */
  exitCode: number | null;
  /** The DOM after parsing (`--dump-dom`). */
  dom: string;
  /** Messages the page logged to its console (CSP violations, script errors). */
  consoleMessages: string[];
  /** Bytes of the PNG screenshot, 0 when none was written. */
  screenshotBytes: number;
  /** Path of the screenshot (inside `workDir`). */
  screenshotPath: string;
  /** Everything Chromium wrote to stderr. */
  stderr: string;
}

/**
 * Renders `htmlPath` in headless Chromium, with no network services, a
 * throwaway profile in `workDir`, and a screenshot of `width`x`height`.
 * Kills Chromium after `timeoutMs`.
 *
 * @example
 * ```ts
 * import { findChromium, renderHeadless } from "./chromium.ts";
 * const chromium = findChromium();
 * if (chromium) {
 *   const r = await renderHeadless(chromium, "/tmp/report.html", { workDir: "/tmp/x" });
 *   console.log(r.dom.length, r.consoleMessages);
 * }
 * ```
 */
export function renderHeadless(
  chromium: string,
  htmlPath: string,
  options: { workDir: string; timeoutMs?: number; width?: number; height?: number },
): Promise<HeadlessRender> {
  const screenshotPath = join(options.workDir, "screenshot.png");
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
    `--user-data-dir=${join(options.workDir, "profile")}`,
    `--window-size=${options.width ?? 1200},${options.height ?? 2400}`,
    `--screenshot=${screenshotPath}`,
    "--dump-dom",
    pathToFileURL(htmlPath).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(chromium, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (stdout += chunk));
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      const consoleMessages = stderr.split("\n").filter((line) => /:CONSOLE[:(]/.test(line));
      const screenshotBytes = existsSync(screenshotPath) ? statSync(screenshotPath).size : 0;
      resolve({ exitCode, dom: stdout, consoleMessages, screenshotBytes, screenshotPath, stderr });
    });
  });
}

/**
 * A fresh temporary directory and a function that removes it.
 *
 * @example
 * ```ts
 * import { tempDir } from "./chromium.ts";
 * const { path, remove } = tempDir("lunge-html-");
 * remove();
 * ```
 */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Width and height of a PNG file, read from its IHDR header.
 *
 * @example
 * ```ts
 * import { pngSize } from "./chromium.ts";
 * console.log(pngSize("/tmp/screenshot.png")); // { width: 1200, height: 2400 }
 * ```
 */
export function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  const signature = "89504e470d0a1a0a";
  if (bytes.subarray(0, 8).toString("hex") !== signature) throw new Error(`${path} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
