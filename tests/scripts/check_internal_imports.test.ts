/**
 * The `_` rule: a folder's internal files are imported only from that folder;
 * tests, benches, scripts and the stress harness may reach them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findInternalImportViolations } from "../../scripts/internal_imports.ts";

// Written as `imp + "ort"` so that this file's own text holds no dynamic import of a `_` file.
const imp = "imp";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "lunge-imports-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("check_internal_imports", () => {
  it("names every import of another folder's _ file: static, multi-line, re-export, dynamic, worker URL", () => {
    const root = tree({
      "src/report/_style.ts": "export const css = '';\n",
      "src/report/_html.ts": 'import { css } from "./_style.ts";\nexport { css };\n',
      "src/cli/page.ts": 'import { css } from "../report/_style.ts";\n',
      "src/cli/again.ts": '// ok\nexport { css } from "../report/_style.ts";\n',
      "src/cli/lines.ts": 'import {\n  css,\n} from "../report/_style.ts";\n',
      "src/engine/w.ts": 'const u = new URL("../report/_style.ts", import.meta.url);\n',
      "mod.ts": `const m = await ${imp}ort("./src/report/_style.ts");\n`,
      "examples/x.ts": 'import { css } from "../src/report/_style.ts";\n',
    });
    try {
      assert.deepEqual(findInternalImportViolations(root), [
        { file: "examples/x.ts", line: 1, target: "src/report/_style.ts" },
        { file: "mod.ts", line: 1, target: "src/report/_style.ts" },
        { file: "src/cli/again.ts", line: 2, target: "src/report/_style.ts" },
        { file: "src/cli/lines.ts", line: 3, target: "src/report/_style.ts" },
        { file: "src/cli/page.ts", line: 1, target: "src/report/_style.ts" },
        { file: "src/engine/w.ts", line: 1, target: "src/report/_style.ts" },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("lets tests, benches, scripts and the stress harness reach internals", () => {
    const root = tree({
      "src/report/_style.ts": "export const css = '';\n",
      "stress/page.ts": 'import { css } from "../src/report/_style.ts";\n',
      "bench/b.ts": 'export { css } from "../src/report/_style.ts";\n',
      "scripts/s.ts": 'import { css } from "../src/report/_style.ts";\n',
      "tests/x.test.ts": `const m = await ${imp}ort("../src/report/_style.ts");\n`,
    });
    try {
      assert.deepEqual(findInternalImportViolations(root), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("the repository itself is clean", () => {
    assert.deepEqual(findInternalImportViolations("."), []);
  });
});
