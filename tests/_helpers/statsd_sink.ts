/**
 * A loopback UDP sink for stats tests: collects datagrams and parses them
 * (text or binary) so tests can compare what arrived with what was sent.
 */
import { openUdpReceiver, type UdpReceiver } from "../../src/runtime/udp.ts";
import { decodeBinaryPacket, parseTextPacket, type StatEvent } from "../../src/stats/mod.ts";

export interface StatsSink {
  port: number;
  packets: Uint8Array[];
  events(protocol?: "text" | "binary"): StatEvent[];
  waitForEvents(n: number, timeoutMs?: number, protocol?: "text" | "binary"): Promise<StatEvent[]>;
  close(): Promise<void>;
}

export async function startStatsSink(port = 0): Promise<StatsSink> {
  const packets: Uint8Array[] = [];
  const rx: UdpReceiver = await openUdpReceiver({ port, onMessage: (b) => packets.push(new Uint8Array(b)) });
  const dec = new TextDecoder();
  const events = (protocol: "text" | "binary" = "text"): StatEvent[] =>
    packets.flatMap((p) =>
      protocol === "binary" ? decodeBinaryPacket(p).events : parseTextPacket(dec.decode(p)).events
    );
  return {
    port: rx.port,
    packets,
    events,
    async waitForEvents(n, timeoutMs = 3000, protocol = "text") {
      const deadline = performance.now() + timeoutMs;
      while (events(protocol).length < n && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return events(protocol);
    },
    close: () => rx.close(),
  };
}

/** A UDP port with nothing listening (bound then closed). */
export async function closedPort(): Promise<number> {
  const rx = await openUdpReceiver({ onMessage: () => {} });
  const port = rx.port;
  await rx.close();
  return port;
}
