import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openUdpReceiver, openUdpSender } from "../../src/runtime/udp.ts";

describe("stats UDP adapter", () => {
  it("receives datagrams of exactly maxDatagramBytes whole (Deno sizes its read buffer to it)", async () => {
    const got: number[] = [];
    let checksum = 0;
    const rx = await openUdpReceiver({
      maxDatagramBytes: 1472,
      onMessage: (b) => {
        got.push(b.length);
        for (let i = 0; i < b.length; i++) checksum = (checksum + b[i] * (i + 1)) % 1_000_003;
      },
    });
    const tx = await openUdpSender({ host: "127.0.0.1", port: rx.port, family: 4 });
    try {
      const sizes = [1, 100, 1471, 1472];
      let want = 0;
      for (const size of sizes) {
        const bytes = new Uint8Array(size + 8).map((_, i) => (i * 7 + size) & 255);
        for (let i = 0; i < size; i++) want = (want + bytes[i] * (i + 1)) % 1_000_003;
        const error = await new Promise<Error | null>((resolve) => tx.send(bytes, size, resolve));
        assert.equal(error, null);
      }
      const deadline = performance.now() + 2000;
      while (got.length < sizes.length && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.deepEqual(got, sizes);
      assert.equal(checksum, want);
    } finally {
      await tx.close();
      await rx.close();
    }
  });
});
