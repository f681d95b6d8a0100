// The hand-written WriteRequest encoder against protobufjs decoding the remote-write 1.0 schema,
// the classic buckets against lunge's histogram, and the queue against a real HTTP receiver
// (retry on 5xx, drop on 4xx, drop the oldest when full, give up at the close deadline).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import protobuf from "protobufjs";
import { uncompress } from "snappyjs";
import { encodeWriteRequest } from "../../../src/stats/remote_write/write_request.ts";
import { classicHistogram, LE_LABELS, LE_SECONDS } from "../../../src/stats/remote_write/classic_buckets.ts";
import { RemoteWriteQueue } from "../../../src/stats/remote_write/queue.ts";
import { bucketIndex, HISTOGRAM_BUCKETS } from "../../../src/shared/histogram_layout.ts";

const root = protobuf.Root.fromJSON({
  nested: {
    WriteRequest: { fields: { timeseries: { rule: "repeated", type: "TimeSeries", id: 1 } } },
    TimeSeries: {
      fields: {
        labels: { rule: "repeated", type: "Label", id: 1 },
        samples: { rule: "repeated", type: "Sample", id: 2 },
      },
    },
    Label: { fields: { name: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
    Sample: { fields: { value: { type: "double", id: 1 }, timestamp: { type: "int64", id: 2 } } },
  },
});
const WriteRequest = root.lookupType("WriteRequest");
const utf8 = new TextEncoder();

describe("remote write encoding", () => {
  it("protobufjs decodes what encodeWriteRequest writes", () => {
    const ts = 1_765_000_000_123;
    const bytes = encodeWriteRequest([
      {
        labels: [
          { name: utf8.encode("__name__"), value: utf8.encode("lunge_requests_total") },
          { name: utf8.encode("run"), value: utf8.encode("ünïcode-" + "x".repeat(200)) },
        ],
        value: 123456789.5,
        timestampMs: ts,
      },
      {
        labels: [{ name: utf8.encode("__name__"), value: utf8.encode("zero") }],
        value: 0,
        timestampMs: ts + 1,
      },
    ]);
    const decoded = WriteRequest.toObject(WriteRequest.decode(bytes), { longs: Number }) as {
      timeseries: Array<
        {
          labels: Array<{ name: string; value: string }>;
          samples: Array<{ value?: number; timestamp: number }>;
        }
      >;
    };
    assert.equal(decoded.timeseries.length, 2);
    assert.deepEqual(decoded.timeseries[0].labels[1], { name: "run", value: "ünïcode-" + "x".repeat(200) });
    assert.deepEqual(decoded.timeseries[0].samples, [{ value: 123456789.5, timestamp: ts }]);
    assert.equal(decoded.timeseries[1].samples[0].timestamp, ts + 1);
  });

  it("classic buckets: cumulative, +Inf = count, each value under the first le at or above it", () => {
    const counts = new Float64Array(HISTOGRAM_BUCKETS);
    const values = [0.00002, 0.0012, 0.0012, 0.003, 0.25, 500];
    for (const s of values) counts[bucketIndex(s * 1e9)]++;
    const h = classicHistogram(counts);
    assert.equal(h.count, values.length);
    assert.equal(h.cumulative[LE_LABELS.length - 1], values.length);
    for (let i = 0; i < LE_SECONDS.length; i++) {
      assert.equal(
        h.cumulative[i],
        values.filter((v) => v <= LE_SECONDS[i] * 1.001).length,
        `le=${LE_LABELS[i]}`,
      );
    }
    assert.ok(Math.abs(h.sumSeconds - values.reduce((a, b) => a + b, 0)) < 0.001 * 500);
  });
});

describe("RemoteWriteQueue against a real receiver", () => {
  async function receiver(answer: (n: number, req: IncomingMessage, body: Buffer) => number) {
    let n = 0;
    const bodies: Buffer[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const status = answer(n++, req, body);
        if (status === 200) bodies.push(body);
        if (status > 0) res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`;
    return {
      url,
      bodies,
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    };
  }

  it("retries a 5xx, sends snappy protobuf with the remote-write headers, keeps the order", async () => {
    const seen: string[] = [];
    const r = await receiver((n, req) => {
      seen.push(
        `${req.headers["content-encoding"]} ${req.headers["content-type"]} ${
          req.headers["x-prometheus-remote-write-version"]
        }`,
      );
      return n === 0 ? 503 : 200;
    });
    try {
      const q = new RemoteWriteQueue({ url: r.url, backoffMs: 10 });
      const batch = (v: number) =>
        encodeWriteRequest([{
          labels: [{ name: utf8.encode("__name__"), value: utf8.encode("m") }],
          value: v,
          timestampMs: 1000 + v,
        }]);
      q.push(batch(1), 1);
      q.push(batch(2), 1);
      const stats = await q.close(5000);
      assert.deepEqual(
        { sent: stats.sentSamples, dropped: stats.droppedSamples, failed: stats.failedAttempts },
        { sent: 2, dropped: 0, failed: 1 },
      );
      assert.equal(seen[0], "snappy application/x-protobuf 0.1.0");
      const values = r.bodies.map((b) => {
        const d = WriteRequest.toObject(WriteRequest.decode(uncompress(new Uint8Array(b)) as Uint8Array)) as {
          timeseries: Array<{ samples: Array<{ value: number }> }>;
        };
        return d.timeseries[0].samples[0].value;
      });
      assert.deepEqual(values, [1, 2]);
    } finally {
      r.close();
    }
  });

  it("drops a batch the receiver refuses (4xx) and the oldest past capacity, and counts both", async () => {
    const r = await receiver((n) => (n === 0 ? 400 : 200));
    try {
      const q = new RemoteWriteQueue({ url: r.url, capacity: 2 });
      for (let i = 0; i < 5; i++) q.push(encodeWriteRequest([]), 10);
      const stats = await q.close(5000);
      // The first goes out at once (refused); of the four queued behind it, capacity 2 keeps the last two.
      assert.equal(stats.sentSamples + stats.droppedSamples, 50);
      assert.equal(stats.sentBatches, 2);
      assert.equal(stats.droppedBatches, 3);
    } finally {
      r.close();
    }
  });

  it("a receiver that never answers: close gives up at its deadline and counts the rest", async () => {
    const r = await receiver(() => 0);
    try {
      const q = new RemoteWriteQueue({ url: r.url, timeoutMs: 60_000 });
      q.push(encodeWriteRequest([]), 7);
      q.push(encodeWriteRequest([]), 7);
      const started = performance.now();
      const stats = await q.close(300);
      assert.ok(performance.now() - started < 3000);
      assert.deepEqual({ sent: stats.sentSamples, dropped: stats.droppedSamples }, { sent: 0, dropped: 14 });
    } finally {
      r.close();
    }
  });
});
