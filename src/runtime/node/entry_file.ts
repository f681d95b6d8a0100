import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

/**
 * Writes a bundled entry script to `<tmpdir>/lunge-entries/<fileName>` (once:
 * an existing file with the same text is reused; a new one is written to a
 * private name and renamed, so concurrent lunge processes never see half a
 * file) and returns its `file:` URL. Shared by Node and Bun.
 *
 * @example
 * ```ts
 * import { writeEntryFile } from "./entry_file.ts";
 * const url = writeEntryFile("hello-0.1.0-abc.mjs", "console.log('hi');");
 * console.log(url.href);
 * ```
 */
export function writeEntryFile(fileName: string, code: string): URL {
  const dir = join(tmpdir(), "lunge-entries");
  const path = join(dir, fileName);
  let existing: string | null = null;
  try {
    existing = readFileSync(path, "utf8");
  } catch {
    // not written yet
  }
  if (existing !== code) {
    mkdirSync(dir, { recursive: true });
    const scratch = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(scratch, code);
    renameSync(scratch, path);
  }
  return pathToFileURL(path);
}
