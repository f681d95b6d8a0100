/**
 * Stats library benchmarks (mitata): ring push/pop, serialization per event
 * (text, binary, JSON.stringify), then an end-to-end run into a loopback UDP
 * receiver (events/s, drop rate, events per packet, heap growth per million
 * events) beside hot-shots sending the same events.
 *
 * Run: `deno run -A bench/stats.bench.ts` or `bun bench/stats.bench.ts`.
 */
import { bench, group, run, summary } from "mitata";
import { LockFreeRingBuffer } from "../src/shared/ring_buffer.ts";
import { system } from "../src/runtime/mod.ts";
import { spawnWorker } from "../src/runtime/worker.ts";
import {
  createStatsClient,
  EVENT_WORDS,
  NameInterner,
  PacketAssembler,
  packMeta,
  type PooledPacket,
  StatType,
  TagSetInterner,
} from "../src/stats/mod.ts";

const ring = LockFreeRingBuffer.create({ capacity: 1024, slotWords: EVENT_WORDS });
const slot = new Float64Array(EVENT_WORDS);
slot.set([packMeta(0, 1, 0), 3, 1, 42, Date.now()]);

group("ring (5-word event slot)", () => {
  bench("tryPushFrom + tryPopInto", () => {
    ring.tryPushFrom(slot);
    ring.tryPopInto(slot);
  });
});

const names = new NameInterner({ prefix: "app." });
const tagSets = new TagSetInterner();
const nameId = names.idOf("http.request.duration");
const tagId = tagSets.idOf({ endpoint: "/api/users", method: "GET", status: "200" });
function assembler(protocol: "text" | "binary"): PacketAssembler {
  return new PacketAssembler({
    protocol,
    maxPacketBytes: 1472,
    poolSize: 4,
    names,
    tagSets,
    transmit: (p: PooledPacket) => p.done(null),
    completed: () => {},
  });
}
const textAsm = assembler("text");
const binAsm = assembler("binary");
const meta = packMeta(StatType.Timer, 1, 0);
const event = {
  type: "timer",
  name: "app.http.request.duration",
  value: 12.5,
  tags: { endpoint: "/api/users", method: "GET", status: "200" },
  timestamp: Date.now(),
};
let sink = 0;

summary(() => {
  group("serialize one event", () => {
    bench("DogStatsD text (into packet)", () => textAsm.append(meta, nameId, tagId, 12.5, 1_700_000_000_000));
    bench(
      "binary (into packet, CRC per packet)",
      () => binAsm.append(meta, nameId, tagId, 12.5, 1_700_000_000_000),
    );
    bench("JSON.stringify", () => {
      sink += JSON.stringify(event).length;
    });
  });
});

await run();

// ---- end to end -------------------------------------------------------------
const EVENTS = Number(system.env("STATS_BENCH_EVENTS") ?? 1_000_000);
interface ReceiverCounts {
  port: number;
  packets: number;
  lines: number;
  bytes: number;
}
// The receiver runs in a worker (its own event loop, like a StatsD daemon's own process).
const receiver = spawnWorker(new URL("./stats_receiver.worker.ts", import.meta.url), "stats-bench-receiver");
let onReceiver: (message: unknown) => void = () => {};
receiver.onMessage((message) => onReceiver(message));
function askReceiver<T>(message: unknown): Promise<T> {
  return new Promise((resolve) => {
    onReceiver = (reply) => resolve(reply as T);
    if (message !== null) receiver.postMessage(message);
  });
}
const rx = await askReceiver<{ port: number }>(null);
/** Receiver counts since the last read. */
const readReceiver = (): Promise<ReceiverCounts> => askReceiver<ReceiverCounts>({ cmd: "read" });
const lostPercent = (
  sent: number,
  seen: number,
): string => (sent > 0 ? ((1 - seen / sent) * 100).toFixed(2) : "-");

async function endToEnd(label: string, protocol: "text" | "binary"): Promise<void> {
  await readReceiver();
  const stats = createStatsClient({
    address: `127.0.0.1:${rx.port}`,
    protocol,
    logger: () => {},
    maxInFlightPackets: 1024,
  });
  await stats.start();
  const tags = { endpoint: "/api/users", method: "GET" };
  const metric = stats.metric(StatType.Counter, "requests", tags);
  system.gc();
  const heap0 = system.memory().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += 5000) {
    for (let k = 0; k < 5000; k++) metric.record(1);
    await new Promise((r) => setTimeout(r, 0)); // let socket completions run, as a real app does
  }
  await stats.flush(5000);
  const seconds = (performance.now() - t0) / 1000;
  system.gc();
  const heap1 = system.memory().heapUsed;
  const m = await stats.stop();
  await new Promise((r) => setTimeout(r, 300));
  const seen = await readReceiver();
  console.log(
    `${label}: ${(EVENTS / seconds / 1e6).toFixed(2)} M events/s, dropped ${
      (m.dropRate * 100).toFixed(2)
    } % ` +
      `(${JSON.stringify(Object.fromEntries(Object.entries(m.dropsByReason).filter(([, n]) => n > 0)))}), ` +
      `${m.eventsPerPacket.toFixed(1)} events/packet, heap ${((heap1 - heap0) / 1024).toFixed(0)} KiB per ${
        EVENTS / 1e6
      } M events, ` +
      `receiver saw ${
        protocol === "text" ? seen.lines : "-"
      } events in ${seen.packets}/${m.packetsSent} packets ` +
      `(lost on the way: ${lostPercent(m.packetsSent, seen.packets)} %)`,
  );
}

async function hotShots(): Promise<void> {
  let StatsD: new (o: Record<string, unknown>) => {
    increment(n: string, v: number, tags: string[]): void;
    close(cb: () => void): void;
  };
  try {
    StatsD = (await import("hot-shots" as string)).default.StatsD ??
      (await import("hot-shots" as string)).StatsD;
  } catch (e) {
    console.log(`hot-shots: not loadable here (${(e as Error).message})`);
    return;
  }
  await readReceiver();
  const client = new StatsD({
    host: "127.0.0.1",
    port: rx.port,
    maxBufferSize: 1432,
    bufferFlushInterval: 100,
    errorHandler: () => {},
  });
  const tags = ["endpoint:/api/users", "method:GET"];
  system.gc();
  const heap0 = system.memory().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += 5000) {
    for (let k = 0; k < 5000; k++) client.increment("requests", 1, tags);
    await new Promise((r) => setTimeout(r, 0));
  }
  await new Promise<void>((r) => client.close(() => r()));
  const seconds = (performance.now() - t0) / 1000;
  system.gc();
  const heap1 = system.memory().heapUsed;
  await new Promise((r) => setTimeout(r, 300));
  const seen = await readReceiver();
  console.log(
    `hot-shots (maxBufferSize 1432): ${(EVENTS / seconds / 1e6).toFixed(2)} M events/s, heap ${
      ((heap1 - heap0) / 1024).toFixed(0)
    } KiB per ${EVENTS / 1e6} M events, receiver saw ${seen.lines} events in ${seen.packets} packets ` +
      `(lost: ${lostPercent(EVENTS, seen.lines)} % of events)`,
  );
}

await endToEnd("lunge stats text", "text");
await endToEnd("lunge stats binary", "binary");
await hotShots();
await askReceiver({ cmd: "close" });
receiver.terminate();
if (sink < 0) console.log(sink);
