// gRPC's wire pieces on their own: Length-Prefixed-Message framing and reading across any chunking,
// grpc-timeout units, status names and mappings, grpc-message decoding, and the report sections.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { concatBytes, frameMessage, MessageReader } from "../../src/grpc/framing.ts";
import { grpcTimeout } from "../../src/grpc/timeout.ts";
import {
  decodeGrpcMessage,
  GRPC_STATUS_NAMES,
  grpcStatusOfFailure,
  grpcStatusOfHttp,
  httpStatusOfGrpc,
} from "../../src/grpc/status.ts";
import { ErrorKind } from "../../src/collector/types.ts";
import { gunzip, gzip } from "../../src/grpc/compression.ts";
import { parseGrpcThreshold } from "../../src/thresholds/grpc_thresholds.ts";
import { GrpcLanes, GrpcLaneWriter } from "../../src/collector/grpc_lanes.ts";

describe("gRPC framing", () => {
  it("a message is 1 flag byte, 4 bytes big-endian length, the bytes", () => {
    const m = new Uint8Array(300).fill(7);
    const f = frameMessage(m, true);
    assert.equal(f.length, 305);
    assert.deepEqual([...f.subarray(0, 5)], [1, 0, 0, 1, 44]);
    assert.equal(f[304], 7);
  });

  it("the reader counts and keeps messages whatever the chunk boundaries", () => {
    const messages = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(1000).fill(9)];
    const stream = concatBytes(messages.map((m) => frameMessage(m)));
    for (const chunk of [1, 2, 3, 5, 7, 64, stream.length]) {
      const reader = new MessageReader();
      const kept: number[][] = [];
      let first = 0;
      reader.onFirst = () => first++;
      reader.onMessage = (m) => kept.push([...m]);
      for (let at = 0; at < stream.length; at += chunk) {
        reader.onBytes(stream, at, Math.min(chunk, stream.length - at));
      }
      assert.equal(reader.messages, 3, `chunk ${chunk}`);
      assert.equal(first, 1);
      assert.equal(reader.partial, false);
      assert.deepEqual(kept.map((k) => k.length), [0, 3, 1000]);
      assert.deepEqual(kept[1], [1, 2, 3]);
    }
  });

  it("a response that ends inside a message is partial", () => {
    const reader = new MessageReader();
    const f = frameMessage(Uint8Array.of(1, 2, 3));
    reader.onBytes(f, 0, 6);
    assert.equal(reader.messages, 0);
    assert.equal(reader.partial, true);
    reader.reset();
    assert.equal(reader.partial, false);
  });

  it("gzip round trip", async () => {
    const text = new TextEncoder().encode("hello ".repeat(100));
    const packed = await gzip(text);
    assert.ok(packed.length < text.length);
    assert.deepEqual(await gunzip(packed), text);
  });
});

describe("grpc-timeout", () => {
  it("the finest unit that fits 8 digits, rounded up", () => {
    assert.equal(grpcTimeout(2500), "2500000u");
    assert.equal(grpcTimeout(0.5), "500000n");
    assert.equal(grpcTimeout(150), "150000u");
    assert.equal(grpcTimeout(100_000_000), "100000S");
    assert.equal(grpcTimeout(99_999_999), "99999999m");
    assert.equal(grpcTimeout(10 * 86_400_000), "864000S");
    assert.match(grpcTimeout(1e15), /^\d{1,8}H$/);
  });
});

describe("gRPC statuses", () => {
  it("names, HTTP equivalents and the statuses of failures and plain HTTP answers", () => {
    assert.equal(GRPC_STATUS_NAMES.length, 17);
    assert.equal(GRPC_STATUS_NAMES[14], "UNAVAILABLE");
    assert.equal(httpStatusOfGrpc(0), 200);
    assert.equal(httpStatusOfGrpc(4), 504);
    assert.equal(httpStatusOfGrpc(14), 503);
    assert.equal(httpStatusOfGrpc(99), 500);
    assert.equal(grpcStatusOfHttp(404), 12);
    assert.equal(grpcStatusOfHttp(503), 14);
    assert.equal(grpcStatusOfHttp(418), 2);
    assert.equal(grpcStatusOfFailure(ErrorKind.Timeout), 4);
    assert.equal(grpcStatusOfFailure(ErrorKind.Refused), 14);
    assert.equal(grpcStatusOfFailure(ErrorKind.Protocol), 13);
    assert.equal(decodeGrpcMessage("100%25%20sure"), "100% sure");
    assert.equal(decodeGrpcMessage("bad %zz"), "bad %zz");
  });

  it("thresholds: grpc_errors in %, status_<NAME> counts, unknown names refused", () => {
    assert.deepEqual(parseGrpcThreshold("grpc_errors<1%"), {
      expression: "grpc_errors<1%",
      metric: "grpc:errors",
      op: "<",
      value: 1,
    });
    assert.equal(parseGrpcThreshold("status_unavailable==0")?.metric, "grpc:status:UNAVAILABLE");
    assert.equal(parseGrpcThreshold("p99<5ms"), null);
    assert.throws(() => parseGrpcThreshold("status_NOPE==0"), /Unknown gRPC status "NOPE"/);
    assert.throws(() => parseGrpcThreshold("grpc_errors<1"), /percentage/);
  });

  it("lanes: per lane and name, summed by the owner", () => {
    const lanes = GrpcLanes.create(2, 3);
    const a = GrpcLaneWriter.attach(lanes.handle(), 0);
    const b = GrpcLaneWriter.attach(lanes.handle(), 1);
    a.recordCall(0, 0, 1, 1);
    b.recordCall(0, 14, 1, 0);
    b.recordCall(1, 0, 2, 5);
    b.recordCall(9, 99, 1, 0); // past the names: the last slot; past the codes: "other"
    a.recordFirstMessage(1, 2_000_000);
    const all = lanes.totals(-1);
    assert.equal(all.statuses[0], 2);
    assert.equal(all.statuses[14], 1);
    assert.equal(all.statuses[17], 1);
    assert.equal(all.messagesSent, 5);
    assert.equal(all.messagesReceived, 6);
    assert.equal(lanes.totals(0).statuses[14], 1);
    assert.equal(lanes.totals(2).statuses[17], 1);
    assert.ok(Math.abs(lanes.totals(1).firstMessage!.p50 - 2) < 0.05);
  });
});
