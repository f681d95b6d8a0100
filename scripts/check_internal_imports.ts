/**
 * Fails when a file imports another folder's internal (`_`-prefixed) file.
 * A `_` file is private to its folder: whatever another folder needs goes
 * through a public module of that folder.
 *
 * ```
 * deno run -A scripts/check_internal_imports.ts [root]
 * ```
 *
 * Exit codes: 0 clean, 1 violations (one line each: importer, line, target).
 *
 * @module
 */
import { findInternalImportViolations } from "./internal_imports.ts";
import { system } from "../src/runtime/mod.ts";

const root = system.args()[0] ?? ".";
const violations = findInternalImportViolations(root);
for (const v of violations) {
  system.writeStderr(`${v.file}:${v.line}: imports another folder's internal file ${v.target}\n`);
}
if (violations.length > 0) {
  system.writeStderr(`check_internal_imports: ${violations.length} violation(s)\n`);
  system.exit(1);
}
system.writeStdout("check_internal_imports: no file imports another folder's _ file\n");
