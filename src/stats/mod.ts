/**
 * lunge's non-blocking stats library: a StatsD/DogStatsD client
 * that records through lock-free rings without allocating, packs events
 * into datagrams (DogStatsD text or a compact binary format with sequence
 * numbers and CRC-32), sheds load by a drop strategy, guards the network
 * with a circuit breaker, caps its memory, and exposes its own metrics in
 * the Prometheus text format and as a JSON health check (Hono app).
 *
 * @example
 * ```ts
 * import { createStatsApp, createStatsClient, Priority } from "./mod.ts";
 * const stats = createStatsClient({ address: "127.0.0.1:8125", prefix: "shop." });
 * await stats.start();
 * const route = { route: "/checkout" }; // reuse tag objects: no allocation per call
 * stats.increment("orders", 1, route, Priority.High);
 * stats.timing("checkout.latency", 42.1, route);
 * const app = createStatsApp(stats); // serve app.fetch for /metrics and /health
 * await stats.stop();
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./config.ts";
export * from "./_errors.ts";
export * from "./client.ts";
export * from "./app.ts";
export * from "./exposition.ts";
export * from "./_health.ts";
export * from "./prometheus.ts";
export * from "./internal_metrics.ts";
export * from "./_latency_histogram.ts";
export * from "./_circuit_breaker.ts";
export * from "./_memory_limiter.ts";
export * from "./_adaptive_batch.ts";
export * from "./_interner.ts";
export * from "./_event_buffer.ts";
export * from "./_packet_assembler.ts";
export * from "./_text_codec.ts";
export * from "./_binary_codec.ts";
export * from "./_crc32.ts";
export * from "./endpoint_metric.ts";
export * from "./_throughput.ts";
export * from "./_async_recorder.ts";
export * from "./harness/mod.ts";
export type { UdpSender } from "../runtime/udp.ts";
