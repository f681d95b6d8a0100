import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  BINARY_HEADER_BYTES,
  crc32,
  crc32Portable,
  decodeBinaryPacket,
  NameInterner,
  PacketAssembler,
  PacketDecodeError,
  packMeta,
  parseTextPacket,
  type PooledPacket,
  Priority,
  StatType,
  TagSetInterner,
  writeTextEvent,
} from "../../src/stats/mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function assemble(protocol: "text" | "binary", maxPacketBytes = 1472) {
  const names = new NameInterner({ prefix: "p." });
  const tagSets = new TagSetInterner({ constantTags: { env: "test" } });
  const packets: Uint8Array[] = [];
  const asm = new PacketAssembler({
    protocol,
    maxPacketBytes,
    poolSize: 4,
    names,
    tagSets,
    transmit: (p: PooledPacket) => {
      packets.push(p.bytes.slice(0, p.length));
      p.done(null);
    },
    completed: () => {},
  });
  return { names, tagSets, packets, asm };
}

describe("stats codecs", () => {
  it("computes the standard CRC-32 check value", () => {
    assert.equal(crc32(enc.encode("123456789")), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    assert.equal(crc32Portable(enc.encode("123456789")), 0xcbf43926);
  });

  it("gives the same CRC-32 on the native and portable paths, for any range and seed", () => {
    const bytes = new Uint8Array(1600);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    // Reference: the plain bitwise definition.
    const reference = (start: number, end: number, seed: number): number => {
      let c = ~seed;
      for (let i = start; i < end; i++) {
        c ^= bytes[i];
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return ~c >>> 0;
    };
    for (const [start, end] of [[0, 0], [3, 10], [14, 109], [1, 97], [14, 1472], [5, 1600]]) {
      for (const seed of [0, 0xdeadbeef, 1]) {
        const want = reference(start, end, seed);
        assert.equal(crc32(bytes, start, end, seed), want, `crc32 ${start}..${end} seed ${seed}`);
        assert.equal(crc32Portable(bytes, start, end, seed), want, `portable ${start}..${end} seed ${seed}`);
      }
    }
    // Incremental: two halves chained equal the whole.
    assert.equal(crc32(bytes, 700, 1600, crc32(bytes, 0, 700)), crc32(bytes, 0, 1600));
  });

  it("writes DogStatsD text lines", () => {
    const out = new Uint8Array(256);
    const cases: Array<[number, number, string, string]> = [
      [StatType.Counter, 3, "env:prod", "hits:3|c|#env:prod\n"],
      [StatType.Gauge, -7, "", "hits:-7|g\n"],
      [StatType.Timer, 1.25, "", "hits:1.25|ms\n"],
      [StatType.Histogram, 0, "a:b,c", "hits:0|h|#a:b,c\n"],
      [StatType.Counter, 12345678901234, "", "hits:12345678901234|c\n"],
      [StatType.Counter, -2147483648, "", "hits:-2147483648|c\n"],
    ];
    for (const [type, value, tags, expected] of cases) {
      const end = writeTextEvent(out, 0, type, enc.encode("hits"), value, enc.encode(tags), 0);
      assert.equal(dec.decode(out.subarray(0, end)), expected);
    }
    const end = writeTextEvent(out, 0, StatType.Counter, enc.encode("x"), 1, new Uint8Array(0), 1);
    assert.equal(dec.decode(out.subarray(0, end)), "x:1|c|@0.5\n");
  });

  it("round-trips events through text packets", () => {
    const { names, tagSets, packets, asm } = assemble("text");
    const tags = { route: "/a", code: 200 };
    asm.append(packMeta(StatType.Counter, 1, 0), names.idOf("req"), tagSets.idOf(tags), 5, 1000);
    asm.append(packMeta(StatType.Timer, 1, 0), names.idOf("lat"), 0, 0.5, 1000);
    asm.sendOpen();
    assert.equal(packets.length, 1);
    const { events, bad } = parseTextPacket(dec.decode(packets[0]));
    assert.equal(bad, 0);
    assert.deepEqual(events.map((e) => [e.name, e.type, e.value]), [["p.req", 0, 5], ["p.lat", 2, 0.5]]);
    // Constant tags first, then the event's own tags sorted by key.
    assert.deepEqual(events[0].tags, [
      { key: "env", value: "test" },
      { key: "code", value: "200" },
      { key: "route", value: "/a" },
    ]);
  });

  it("round-trips events through binary packets with sequence numbers and CRC", () => {
    const { names, tagSets, packets, asm } = assemble("binary");
    const ts = 1_700_000_000_123;
    asm.append(
      packMeta(StatType.Gauge, Priority.High, 0),
      names.idOf("temp"),
      tagSets.idOf(["zone:b", "x"]),
      -3.5,
      ts,
    );
    asm.append(packMeta(StatType.Counter, Priority.Low, 2), names.idOf("z"), 0, 0, ts + 1);
    asm.sendOpen();
    asm.append(packMeta(StatType.Histogram, Priority.Medium, 0), names.idOf("h"), 0, 1e300, ts);
    asm.sendOpen();
    const first = decodeBinaryPacket(packets[0]);
    const second = decodeBinaryPacket(packets[1]);
    assert.equal(first.sequence, 0);
    assert.equal(second.sequence, 1);
    const e = first.events[0];
    assert.equal(e.name, "p.temp");
    assert.equal(e.type, StatType.Gauge);
    assert.equal(e.priority, Priority.High);
    assert.equal(e.value, -3.5);
    assert.equal(e.timestamp, ts);
    assert.deepEqual(e.tags, [{ key: "env", value: "test" }, { key: "x", value: "" }, {
      key: "zone",
      value: "b",
    }]);
    const zero = first.events[1];
    assert.deepEqual([zero.name, zero.value, zero.priority, zero.sampleRate, zero.tags.length], [
      "p.z",
      0,
      Priority.Low,
      0.25,
      1,
    ]);
    assert.equal(second.events[0].value, 1e300);
  });

  it("rejects corrupted, truncated and foreign binary packets", () => {
    const { names, packets, asm } = assemble("binary");
    asm.append(0, names.idOf("n"), 0, 1, 0);
    asm.sendOpen();
    const good = packets[0];
    const flipped = good.slice();
    flipped[good.length - 3] ^= 0x10;
    assert.throws(() => decodeBinaryPacket(flipped), PacketDecodeError);
    assert.throws(() => decodeBinaryPacket(good.subarray(0, good.length - 1)), PacketDecodeError);
    assert.throws(() => decodeBinaryPacket(enc.encode("hits:1|c\nmore:2|c")), PacketDecodeError);
    assert.throws(() => decodeBinaryPacket(new Uint8Array(BINARY_HEADER_BYTES - 1)), PacketDecodeError);
  });

  for (const protocol of ["text", "binary"] as const) {
    it(`packs many events per packet, never splitting one (${protocol})`, () => {
      const { names, tagSets, packets, asm } = assemble(protocol, 512);
      const tags = { endpoint: "/api/things" };
      const n = 1000;
      for (let i = 0; i < n; i++) {
        asm.append(
          packMeta(StatType.Counter, 1, 0),
          names.idOf(`metric.${i % 17}`),
          tagSets.idOf(tags),
          i,
          5,
        );
      }
      asm.sendOpen();
      let total = 0;
      for (const p of packets) {
        assert.ok(p.length <= 512, `packet of ${p.length} bytes`);
        const events = protocol === "binary"
          ? decodeBinaryPacket(p).events
          : parseTextPacket(dec.decode(p)).events;
        if (protocol === "text") assert.equal(parseTextPacket(dec.decode(p)).bad, 0);
        for (const e of events) assert.equal(e.value, total++);
      }
      assert.equal(total, n);
      assert.ok(n / packets.length >= 6, `${(n / packets.length).toFixed(1)} events per 512-byte packet`);
    });
  }

  it("refuses an event larger than a packet", () => {
    const { names, asm } = assemble("text", 64);
    assert.equal(asm.append(0, names.idOf("x".repeat(100)), 0, 1, 0), 1);
    assert.equal(asm.append(0, names.idOf("short"), 0, 1, 0), 0);
  });
});
