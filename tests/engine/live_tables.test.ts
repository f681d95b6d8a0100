// `RunOptions.onLiveTables`: the live dashboard's view of the run's other tables, read on the main
// thread while the run goes: the connections open now, and the per-name totals of a request set.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../src/engine/run.ts";
import type { LiveTables } from "../../src/engine/options.ts";
import { parseTargets } from "../../src/request_sets/parse_targets.ts";

describe("onLiveTables", () => {
  it("open connections and per-name totals while the run goes, equal to the result's names at the end", async () => {
    let tables: LiveTables | null = null;
    const seen: number[] = [];
    const names: string[][] = [];
    const result = await run({
      url: "builtin",
      targets: parseTargets("targets.http", "GET /\n\nGET /status/404\n", () => null),
      rate: 200,
      concurrency: 5,
      durationMs: 1500,
      workers: 1,
      onLiveTables: (t) => (tables = t),
      onProgress: () => {
        seen.push(tables!.openConnections());
        names.push(tables!.names().map((n) => n.name));
      },
    });
    assert.ok(seen.length >= 1);
    assert.ok(seen.some((n) => n === 5), `open connections seen: ${seen}`);
    assert.deepEqual(names.at(-1), ["GET /", "GET /status/404"]);
    const end = (tables as LiveTables | null)!.names();
    assert.deepEqual(end.map((n) => n.count), result.names.map((n) => n.count));
  });
});
