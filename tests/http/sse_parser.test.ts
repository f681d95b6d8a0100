/**
 * The incremental SSE parser against the WHATWG rules, fed whole and split at
 * every byte, plus the LLM chunk detection of the stream timer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SseParser } from "../../src/http/sse_parser.ts";
import { StreamTimer } from "../../src/http/stream_timer.ts";

interface Seen {
  type: string;
  data: string;
  id: string;
}

function parseAll(text: string | Uint8Array, cuts: number[] = []): { events: Seen[]; parser: SseParser } {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const events: Seen[] = [];
  const parser = new SseParser({
    onSseEvent: (p) => events.push({ type: p.eventType(), data: p.data(), id: p.lastEventId() }),
  });
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.feed(bytes, at, cut);
    at = cut;
  }
  return { events, parser };
}

/** Parses whole, byte by byte and at every single cut; every way must give the same events. */
function parseEveryWay(text: string | Uint8Array): Seen[] {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const whole = parseAll(bytes).events;
  assert.deepEqual(parseAll(bytes, [...Array(bytes.length).keys()].slice(1)).events, whole, "byte by byte");
  for (let cut = 1; cut < bytes.length; cut++) {
    assert.deepEqual(parseAll(bytes, [cut]).events, whole, `cut at ${cut}`);
  }
  return whole;
}

describe("SseParser (WHATWG event stream interpretation)", () => {
  it("data lines, multi-line data, event and id; LF, CR and CRLF line ends", () => {
    const events = parseEveryWay("data: a\ndata:b\r\n\r\nevent: tick\rid: 7\rdata: c\r\rdata: d\n\n");
    assert.deepEqual(events, [
      { type: "message", data: "a\nb", id: "" },
      { type: "tick", data: "c", id: "7" },
      { type: "message", data: "d", id: "7" }, // the id persists; the type does not
    ]);
  });

  it("comments are ignored; a block without data dispatches nothing and clears the type", () => {
    const events = parseEveryWay(": hi\n\nevent: x\n\ndata: y\n\n:\ndata\n\n");
    assert.deepEqual(events, [
      { type: "message", data: "y", id: "" },
      { type: "message", data: "", id: "" }, // a bare `data` line: an event with empty data
    ]);
  });

  it("only one leading space is removed; a field without a colon has an empty value; unknown fields ignored", () => {
    const events = parseEveryWay("data:  two spaces\nfoo: bar\ndata : not data\ndata:\n\n");
    assert.deepEqual(events, [{ type: "message", data: " two spaces\n", id: "" }]);
  });

  it("a leading BOM is skipped once, even split across reads; a second one is not", () => {
    const bom = [0xef, 0xbb, 0xbf];
    const body = new Uint8Array([...bom, ...new TextEncoder().encode("data: x\n\n"), ...bom]);
    const events = parseEveryWay(new Uint8Array([...body, ...new TextEncoder().encode("data: z\n\n")]));
    // The second BOM starts a field name that is not `data`: that line is ignored, the block has no data.
    assert.deepEqual(events, [{ type: "message", data: "x", id: "" }]);
  });

  it("id with NUL is ignored; retry takes digits only", () => {
    const { events, parser } = parseAll(
      "id: 1\ndata: a\n\nid: b\0c\ndata: b\n\nretry: 1500\nretry: 2x\ndata\n\n",
    );
    assert.deepEqual(events.map((e) => e.id), ["1", "1", "1"]);
    assert.equal(parser.retryMs, 1500);
  });

  it("an event cut by the end of the body is not dispatched (midEvent tells)", () => {
    const { events, parser } = parseAll("data: whole\n\ndata: half");
    assert.equal(events.length, 1);
    assert.equal(parser.midEvent, true);
    assert.equal(parseAll("data: a\n\n").parser.midEvent, false);
  });

  it("data past the cap is dropped but the event still counts", () => {
    const events: string[] = [];
    const parser = new SseParser({ onSseEvent: (p) => events.push(p.data()) }, 4);
    const bytes = new TextEncoder().encode("data: 123456\n\ndata: ab\n\n");
    parser.feed(bytes, 0, bytes.length);
    assert.deepEqual(events, ["1234", "ab"]);
    assert.equal(parser.droppedBytes, 3); // "56" and the LF
    assert.equal(parser.events, 2);
  });

  it("allocates no buffer per event once the data buffer has grown", () => {
    const parser = new SseParser({ onSseEvent: () => {} });
    const bytes = new TextEncoder().encode('data: {"choices":[{"delta":{"content":"x"}}]}\n\n'.repeat(100));
    parser.feed(bytes, 0, bytes.length);
    const buffer = parser.dataBytes;
    parser.feed(bytes, 0, bytes.length);
    assert.equal(parser.dataBytes, buffer);
    assert.equal(parser.events, 200);
  });
});

describe("StreamTimer: LLM chunks without JSON.parse", () => {
  function timeBody(text: string, times: number[] = []): StreamTimer {
    let clock = 0;
    const gaps: number[] = [];
    const itl: number[] = [];
    const timer = new StreamTimer(() => clock);
    timer.gapsTo({ eventGap: (ns) => gaps.push(ns), tokenGap: (ns) => itl.push(ns) });
    timer.reset();
    timer.head(true);
    const parts = text.split("|");
    parts.forEach((part, i) => {
      const bytes = new TextEncoder().encode(part);
      timer.body(bytes, 0, bytes.length);
      clock = times[i] ?? i * 10;
      if (i < parts.length - 1 && timer.pending) timer.stamp(clock);
    });
    timer.finish(clock);
    return Object.assign(timer, { gaps, itl });
  }

  const chunk = (content: string): string =>
    `data: {"choices":[{"index":0,"delta":{"content":${content}}}]}\n\n`;

  it("counts content chunks, skips empty and null content and reasoning_content, sees [DONE]", () => {
    const t = timeBody(
      `data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n|` +
        `${chunk("null")}|${chunk('"Hel"')}|${
          chunk('"lo"')
        }|data: {"choices":[{"delta":{"reasoning_content":"r"}}]}\n\n|` +
        `${chunk('"\\""')}|data: [DONE]\n\n`,
      [0, 10, 20, 35, 40, 50, 60],
    );
    assert.equal(t.events, 7);
    assert.equal(t.tokenChunks, 3); // "Hel", "lo", "\""
    assert.equal(t.done, true);
    assert.equal(t.firstTokenAt, 20);
    assert.equal(t.lastTokenAt, 50);
    assert.deepEqual((t as unknown as { itl: number[] }).itl, [15e6, 15e6]);
    assert.equal(t.usageTokens, -1);
  });

  it("reads usage.completion_tokens when the server sends it", () => {
    const t = timeBody(
      `${
        chunk('"a"')
      }|data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens": 42}}\n\n|data: [DONE]\n\n`,
    );
    assert.equal(t.usageTokens, 42);
    assert.equal(t.tokenChunks, 1);
  });

  it("events that arrive in one read share its time (gap 0)", () => {
    const t = timeBody(`data: 1\n\ndata: 2\n\n|data: 3\n\n`, [5, 30]) as StreamTimer & { gaps: number[] };
    assert.equal(t.firstEventAt, 5);
    assert.deepEqual(t.gaps, [0, 25e6]);
    assert.equal(t.events, 3);
  });
});
