/**
 * Fault suite: response-parser fuzzing. At least 200,000 random and mutated
 * responses (seeded: a failure names its seed and case, and reproduces), fed
 * to the raw client's incremental parser split at random points (and a share
 * of them split at every byte). No exception escapes, no feed stalls, and
 * every outcome matches a simple whole-buffer reference parser: a protocol
 * error, or the same status, body bytes, keep-alive and end position. The
 * committed corpus (fixtures/parser_corpus.json) pins interesting cases with
 * their expected outcomes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import process from "node:process";
import { type ReferenceOutcome, referenceParse } from "./_reference_parser.ts";
import { type IncrementalOutcome, parseIncremental } from "./_parse_incremental.ts";
import { bytesOf, garbage, mutatedResponse, Rng, validResponse } from "./_response_fuzz.ts";

const CASES = Number(process.env.FUZZ_CASES ?? 200_000);
const SEED = Number(process.env.LUNGE_FUZZ_SEED ?? 0x1e2a5eed);
/** Every this-many-th case is also fed one byte at a time. */
const EVERY_BYTE = 40;

interface CorpusCase {
  name: string;
  text: string;
  head: boolean;
  expect: ReferenceOutcome;
}

function everyByte(length: number): number[] {
  return Array.from({ length }, (_, i) => i + 1);
}

function randomCuts(rng: Rng, length: number): number[] {
  const cuts = new Set<number>([length]);
  for (let k = rng.int(4); k > 0; k--) cuts.add(1 + rng.int(Math.max(1, length)));
  return [...cuts].filter((c) => c <= length).sort((a, b) => a - b);
}

function same(a: IncrementalOutcome, b: ReferenceOutcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(text: string): string {
  const s = JSON.stringify(text);
  return s.length > 400 ? `${s.slice(0, 400)}…(${text.length} chars)` : s;
}

describe("faults: response parser fuzzing", () => {
  it("the committed corpus parses to its recorded outcomes, whole and split at every byte", () => {
    const corpus = JSON.parse(
      readFileSync(new URL("./fixtures/parser_corpus.json", import.meta.url), "utf8"),
    ) as CorpusCase[];
    assert.ok(corpus.length >= 30, "corpus present");
    for (const c of corpus) {
      const bytes = bytesOf(c.text);
      assert.deepEqual(referenceParse(c.text, c.head), c.expect, `reference: ${c.name}`);
      assert.deepEqual(parseIncremental(bytes, c.head, [bytes.length]), c.expect, `whole: ${c.name}`);
      assert.deepEqual(
        parseIncremental(bytes, c.head, everyByte(bytes.length)),
        c.expect,
        `every byte: ${c.name}`,
      );
    }
  });

  it(`${CASES} random and mutated responses: no exception, no stall, outcome = reference`, {
    timeout: 240_000,
  }, () => {
    const rng = new Rng(SEED);
    const mismatches: string[] = [];
    const tally: Record<string, number> = {};
    const started = performance.now();
    for (let i = 0; i < CASES; i++) {
      const roll = rng.next();
      const text = roll < 0.3 ? validResponse(rng) : roll < 0.85 ? mutatedResponse(rng) : garbage(rng);
      const head = rng.chance(0.05);
      const bytes = bytesOf(text);
      const expected = referenceParse(text, head);
      tally[expected.kind] = (tally[expected.kind] ?? 0) + 1;
      const splits = [randomCuts(rng, bytes.length)];
      if (i % EVERY_BYTE === 0 && bytes.length <= 4096) splits.push(everyByte(bytes.length));
      for (const cuts of splits) {
        let got: IncrementalOutcome;
        try {
          got = parseIncremental(bytes, head, cuts);
        } catch (error) {
          got = { kind: "stuck", at: -1 };
          mismatches.push(`case ${i} (seed ${SEED}): threw ${error}: ${show(text)}`);
          continue;
        }
        if (!same(got, expected) && mismatches.length < 10) {
          mismatches.push(
            `case ${i} (seed ${SEED}, head ${head}, cuts ${cuts.length > 8 ? "every byte" : cuts}): ` +
              `got ${JSON.stringify(got)}, reference ${JSON.stringify(expected)}: ${show(text)}`,
          );
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`parser fuzz: ${CASES} cases in ${seconds.toFixed(1)} s, outcomes ${JSON.stringify(tally)}`);
    assert.deepEqual(mismatches, []);
    // Every outcome kind is exercised in quantity.
    for (const kind of ["complete", "until-close", "error", "incomplete"]) {
      assert.ok((tally[kind] ?? 0) > 1000, `${kind}: ${tally[kind]}`);
    }
  });
});
