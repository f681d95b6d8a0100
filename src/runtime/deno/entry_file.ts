/**
 * Writes a bundled entry script to `<tmpdir>/lunge-entries/<fileName>` (once:
 * an existing file with the same text is reused; a new one is written to a
 * private name and renamed, so concurrent lunge processes never see half a
 * file) and returns its `file:` URL.
 *
 * @example
 * ```ts
 * import { writeEntryFile } from "./entry_file.ts";
 * const url = writeEntryFile("hello-0.1.0-abc.mjs", "console.log('hi');");
 * console.log(url.href);
 * ```
 */
export function writeEntryFile(fileName: string, code: string): URL {
  const tmp = Deno.env.get("TMPDIR") ?? Deno.env.get("TMP") ?? Deno.env.get("TEMP") ??
    (Deno.build.os === "windows" ? "C:\\Windows\\Temp" : "/tmp");
  const sep = Deno.build.os === "windows" ? "\\" : "/";
  const dir = `${tmp.replace(/[\\/]+$/, "")}${sep}lunge-entries`;
  const path = `${dir}${sep}${fileName}`;
  let existing: string | null = null;
  try {
    existing = Deno.readTextFileSync(path);
  } catch {
    // not written yet
  }
  if (existing !== code) {
    Deno.mkdirSync(dir, { recursive: true });
    const scratch = `${path}.${Deno.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    Deno.writeTextFileSync(scratch, code);
    Deno.renameSync(scratch, path);
  }
  const url = new URL("file://");
  url.pathname = Deno.build.os === "windows" ? `/${path.replaceAll("\\", "/")}` : path;
  return url;
}
