import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OPTION_TABLE, type OptionEntry } from "../../src/options/table.ts";
import { WORKER_OPTION_FIELDS } from "../../src/options/worker_options.ts";
import { flagValue, RUN_FLAGS } from "../../src/cli/_table_flags.ts";
import { flagColumn } from "../../src/cli/_help_options.ts";
import { helpText } from "../../src/cli/_help.ts";
import { CliUsageError, parseCliArgs, type RunCommand } from "../../src/cli/_args.ts";
import { normalizeRunOptions } from "../../src/engine/_normalize.ts";
import { RunOptionsError } from "../../src/engine/options.ts";

const TABLE = OPTION_TABLE as readonly OptionEntry[];
const WITH_FLAG = TABLE.filter((e) => e.flag !== null);
const RUN_HELP = helpText("run");
const URL = "http://127.0.0.1:8080/";

function parseRun(...args: string[]): RunCommand {
  const command = parseCliArgs(["run", URL, ...args], { readFile: () => null });
  assert.equal(command.kind, "run");
  return command as RunCommand;
}

/** The normalized value of a run option: top level, or in the workload part. */
function normalizedValue(name: string): unknown {
  const normalized = normalizeRunOptions({ url: URL }) as unknown as Record<string, unknown>;
  if (name in normalized) return normalized[name];
  return (normalized.workload as Record<string, unknown>)[name];
}

describe("option table", () => {
  it("names, flags and one-letter aliases are unique", () => {
    const unique = (list: (string | null | undefined)[]): void => {
      const present = list.filter((x): x is string => typeof x === "string");
      assert.equal(new Set(present).size, present.length, `duplicates in ${present.join(", ")}`);
    };
    unique(TABLE.map((e) => e.name));
    unique(TABLE.flatMap((e) => [e.flag, ...(e.aliases ?? [])]));
    unique(TABLE.map((e) => e.short));
  });

  it("every entry with a flag has a parseArgs definition of its kind and a line in 'lunge run --help'", () => {
    for (const entry of WITH_FLAG) {
      const definition = RUN_FLAGS[entry.flag!];
      assert.ok(definition, `--${entry.flag} has no parseArgs definition`);
      assert.equal(definition.type, entry.kind === "boolean" ? "boolean" : "string", `--${entry.flag}`);
      assert.equal(definition.short, entry.short, `--${entry.flag}`);
      assert.equal(definition.multiple === true, entry.kind === "texts", `--${entry.flag}`);
      assert.ok(entry.help !== undefined && entry.help.lines.length > 0, `--${entry.flag} has no help`);
      const line = RUN_HELP.split("\n").find((l) => l.startsWith(flagColumn(entry)));
      assert.ok(line, `--${entry.flag}: no help line starting with "${flagColumn(entry)}"`);
      for (const alias of entry.aliases ?? []) {
        assert.ok(RUN_FLAGS[alias], `alias --${alias} has no parseArgs definition`);
        assert.ok(RUN_HELP.includes(`--${alias}`), `alias --${alias} is not in the help`);
      }
    }
    assert.deepEqual(
      Object.keys(RUN_FLAGS).sort(),
      WITH_FLAG.flatMap((e) => [e.flag!, ...(e.aliases ?? [])]).sort(),
      "parseArgs knows exactly the table's flags",
    );
  });

  it("library-only entries have no flag and no help", () => {
    for (const entry of TABLE.filter((e) => e.flag === null)) {
      assert.equal(entry.help, undefined, `${entry.name}`);
      assert.notEqual(entry.name, null);
    }
  });

  it("the default a help line states is the table's default, read by the flag's own parser", () => {
    const stated = TABLE.filter((e) => e.default !== undefined && e.default !== null && e.kind !== "boolean");
    assert.ok(stated.length >= 8);
    for (const entry of stated) {
      if (entry.help === undefined) continue; // for library use alone (no flag): checked against the engine below
      const match = /\[default: ([^\],\s]+)/.exec(entry.help.lines.join(" "));
      assert.ok(
        match,
        `--${entry.flag}: the help states no [default: ...] though the table has ${entry.default}`,
      );
      assert.equal(flagValue(entry, match[1]), entry.default, `--${entry.flag} [default: ${match[1]}]`);
    }
  });

  it("the engine applies the table's defaults", () => {
    for (const entry of TABLE) {
      if (entry.name === null || entry.default === undefined || entry.kind === "boolean") continue;
      assert.equal(normalizedValue(entry.name), entry.default, entry.name);
    }
  });

  it("the parser and the engine agree on the limits of every numeric option", () => {
    const numeric = WITH_FLAG.filter((e) =>
      e.name !== null && e.ownParser !== true && (e.kind === "number" || e.kind === "integer")
    );
    assert.ok(numeric.length >= 5);
    for (const entry of numeric) {
      const name = entry.name!;
      const low = entry.minExclusive ? entry.min! : entry.min! - 1;
      assert.throws(() => parseRun(`--${entry.flag}=${low}`), CliUsageError, `--${entry.flag} ${low}`);
      // The pool limit is checked in the open model only.
      const base = name === "maxConcurrency" ? { url: URL, rate: 100 } : { url: URL };
      assert.throws(() => normalizeRunOptions({ ...base, [name]: low }), RunOptionsError, `${name}: ${low}`);
      if (entry.max !== undefined && entry.max < Number.MAX_SAFE_INTEGER) {
        const high = entry.max + 1;
        assert.throws(
          () => parseRun(`--${entry.flag}`, String(high)),
          CliUsageError,
          `--${entry.flag} ${high}`,
        );
        assert.throws(
          () => normalizeRunOptions({ ...base, [name]: high }),
          RunOptionsError,
          `${name}: ${high}`,
        );
      }
      const good = entry.minExclusive ? entry.min! + 1 : entry.min!;
      assert.equal(
        (parseRun(`--${entry.flag}`, String(good)).options as Record<string, unknown>)[name],
        good,
      );
    }
  });

  it("the fields marked for the workers are fields of the normalized options", () => {
    const normalized = normalizeRunOptions({ url: URL }) as unknown as Record<string, unknown>;
    assert.ok(WORKER_OPTION_FIELDS.length > 0);
    for (const field of WORKER_OPTION_FIELDS) assert.ok(field in normalized, field);
  });
});
