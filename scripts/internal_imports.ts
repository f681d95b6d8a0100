/**
 * Finds imports of another folder's internal (`_`-prefixed) file, for
 * `check_internal_imports.ts`. Pure apart from reading the tree.
 *
 * The rule: a `_` file is private to its folder; only files of the same
 * folder import it. Files under `tests/`, `bench/`, `scripts/` and `stress/`
 * are exempt: they test and measure internals and are not published.
 *
 * @module
 */
import { listDirectory } from "../src/runtime/_directories.ts";
import { readTextFileOrNull } from "../src/runtime/files.ts";

/** One import of another folder's `_` file. */
export interface InternalImportViolation {
  /** The importing file, relative to the root. */
  file: string;
  /** 1-based line of the import. */
  line: number;
  /** The imported `_` file, relative to the root. */
  target: string;
}

const SKIP_DIRS = new Set(["node_modules", "dist", ".git", ".lunge-tmp"]);
/** Run outputs, not sources. */
const SKIP_PATHS = new Set(["bench/results", "stress/results"]);
/** Importers that may reach another folder's internals. */
const EXEMPT = /^(tests|bench|scripts|stress)\//;
// Statements only (a line that starts with `import`, `export` or the `} from` of a multi-line
// import, inside a JSDoc comment too), plus dynamic `import("x")` and worker/entry
// `new URL("x", import.meta.url)` anywhere.
const STATIC =
  /^\s*(?:\*\s*)?(?:(?:import|export)\b|\}).*?(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']/g;
const URL_REF = /\bnew URL\(\s*["'](\.{1,2}\/[^"']+)["']\s*,\s*import\.meta\.url/g;

function walk(root: string, dir: string, out: string[]): void {
  const names = listDirectory(dir === "" ? root : `${root}/${dir}`);
  if (names === null) return;
  for (const name of names) {
    if (SKIP_DIRS.has(name)) continue;
    const rel = dir === "" ? name : `${dir}/${name}`;
    if (SKIP_PATHS.has(rel)) continue;
    if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(rel);
    else if (!name.includes(".")) walk(root, rel, out);
  }
}

/** Resolves `./a/../b.ts` against the folder `dir` (both relative to the root). */
function resolve(dir: string, specifier: string): string {
  const parts = dir === "" ? [] : dir.split("/");
  for (const p of specifier.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return parts.join("/");
}

function folderOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/**
 * Every import, under `root`, of a `_`-prefixed file from a different folder
 * (importers under `tests/`, `bench/`, `scripts/` and `stress/` aside).
 * Lines inside comments count too: a JSDoc example that imports another
 * folder's internals teaches users to do the same.
 *
 * @example
 * ```ts
 * import { findInternalImportViolations } from "./internal_imports.ts";
 * findInternalImportViolations(".").length; // 0 on a clean tree
 * ```
 */
export function findInternalImportViolations(root: string): InternalImportViolation[] {
  const files: string[] = [];
  walk(root, "", files);
  files.sort();
  const violations: InternalImportViolation[] = [];
  for (const file of files) {
    if (EXEMPT.test(file)) continue;
    const text = readTextFileOrNull(`${root}/${file}`);
    if (text === null) continue;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      for (const m of [...line.matchAll(STATIC), ...line.matchAll(DYNAMIC), ...line.matchAll(URL_REF)]) {
        const target = resolve(folderOf(file), m[1]);
        const base = target.slice(target.lastIndexOf("/") + 1);
        if (base.startsWith("_") && folderOf(target) !== folderOf(file)) {
          violations.push({ file, line: i + 1, target });
        }
      }
    }
  }
  return violations;
}
