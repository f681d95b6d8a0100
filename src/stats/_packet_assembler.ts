/**
 * Packs serialized events into datagrams: many events per
 * packet up to `maxPacketBytes`, never an event split across two packets.
 * Packet buffers come from a fixed pool and return to it when the socket is
 * done with them, so steady-state sending allocates nothing; when the pool
 * is empty, draining stops and events wait in the ring (backpressure).
 *
 * @module
 */
import {
  BINARY_EVENT_OVERHEAD,
  BINARY_HEADER_BYTES,
  sealBinaryPacket,
  writeBinaryEvent,
} from "./_binary_codec.ts";
import type { NameInterner, TagSetInterner } from "./_interner.ts";
import { TEXT_EVENT_OVERHEAD, writeTextEvent } from "./_text_codec.ts";
import type { WireProtocol } from "./types.ts";

/** Extra bytes past `maxPacketBytes` so an event can be written before checking that it fits. */
const SLACK = 1024;

/** One pooled packet buffer. */
export interface PooledPacket {
  /** Position of this buffer in the pool. */
  readonly index: number;
  /** The buffer (`maxPacketBytes` plus slack); the packet is `bytes[0, length)`. */
  readonly bytes: Uint8Array;
  /** DataView over `bytes`, for the binary codec. */
  readonly view: DataView;
  /** Bytes used. */
  length: number;
  /** Events in it. */
  count: number;
  /** Timestamp (ms epoch) of its oldest event. */
  oldestMs: number;
  /** When it was opened and handed to the socket (performance.now()). */
  openedAt: number;
  /** When it was handed to the socket (performance.now()); send latency is measured from it. */
  sentAt: number;
  /** Completion callback for this buffer, bound once. */
  done: (error: Error | null) => void;
}

/**
 * Outcome of `PacketAssembler.append`.
 *
 * @example
 * ```ts
 * import { AppendResult } from "./_packet_assembler.ts";
 * declare const asm: import("./_packet_assembler.ts").PacketAssembler;
 * if (asm.append(0, 0, 0, 1, Date.now()) === AppendResult.NoBuffer) {
 *   // every packet buffer is in flight: keep the event and retry after a send completes
 * }
 * ```
 */
export const AppendResult = {
  /** The event was written into the open packet. */
  Ok: 0,
  /** The event can never fit in a packet. */
  Oversize: 1,
  /** No packet buffer free; try again after sends complete. */
  NoBuffer: 2,
} as const;

/** Options of `PacketAssembler`. */
export interface PacketAssemblerOptions {
  /** Wire format the packets are written in (`text` DogStatsD lines or `binary`). */
  protocol: WireProtocol;
  /** Largest packet payload in bytes; an event never straddles two packets. */
  maxPacketBytes: number;
  /** Packet buffers in the pool (at least 2): the most packets in flight at once. */
  poolSize: number;
  /** Resolves the name ids passed to `append`. */
  names: NameInterner;
  /** Resolves the tag-set ids passed to `append`. */
  tagSets: TagSetInterner;
  /** Hands a sealed packet to the socket; must eventually call `packet.done`. */
  transmit: (packet: PooledPacket) => void;
  /** Called when the socket is done with a packet (after it returned to the pool; its fields stay readable). */
  completed: (packet: PooledPacket, error: Error | null) => void;
}

/**
 * Serializes events into pooled packets and transmits full ones.
 *
 * @example
 * ```ts
 * import { NameInterner, TagSetInterner } from "./_interner.ts";
 * import { PacketAssembler } from "./_packet_assembler.ts";
 * const names = new NameInterner();
 * const asm = new PacketAssembler({
 *   protocol: "text", maxPacketBytes: 1472, poolSize: 4, names, tagSets: new TagSetInterner(),
 *   transmit: (p) => p.done(null), completed: () => {},
 * });
 * asm.append(0, names.idOf("hits"), 0, 1, Date.now());
 * asm.sendOpen(); // transmits "hits:1|c\n"
 * ```
 */
export class PacketAssembler {
  readonly #pool: PooledPacket[] = [];
  readonly #free: Int32Array;
  #freeCount: number;
  #open: PooledPacket | null = null;
  #sequence = 0;
  readonly #binary: boolean;
  readonly #max: number;
  readonly #start: number;
  readonly #names: NameInterner;
  readonly #tagSets: TagSetInterner;
  readonly #transmit: (packet: PooledPacket) => void;
  readonly #completed: (packet: PooledPacket, error: Error | null) => void;

  /**
   * Allocates the packet pool up front (`PacketAssembler.bytesFor` bytes).
   *
   * @param options Protocol, packet size, pool size, interners and the transmit/completed callbacks.
   */
  constructor(options: PacketAssemblerOptions) {
    this.#binary = options.protocol === "binary";
    this.#max = options.maxPacketBytes;
    this.#start = this.#binary ? BINARY_HEADER_BYTES : 0;
    this.#names = options.names;
    this.#tagSets = options.tagSets;
    this.#transmit = options.transmit;
    this.#completed = options.completed;
    const size = Math.max(2, options.poolSize);
    this.#free = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const bytes = new Uint8Array(this.#max + SLACK);
      const packet: PooledPacket = {
        index: i,
        bytes,
        view: new DataView(bytes.buffer),
        length: 0,
        count: 0,
        oldestMs: 0,
        openedAt: 0,
        sentAt: 0,
        done: (error) => this.#onDone(packet, error),
      };
      this.#pool.push(packet);
      this.#free[i] = size - 1 - i;
    }
    this.#freeCount = size;
  }

  /** Bytes the pool holds (for the memory limiter). */
  static bytesFor(poolSize: number, maxPacketBytes: number): number {
    return Math.max(2, poolSize) * (maxPacketBytes + SLACK + 160);
  }

  /** Whether another event can be taken from the ring now. */
  get canAccept(): boolean {
    return this.#freeCount > 0;
  }

  /** Packets handed to the socket and not yet completed. */
  get inFlightPackets(): number {
    return this.#pool.length - this.#freeCount - (this.#open ? 1 : 0);
  }

  /** Events in the open packet. */
  get openEvents(): number {
    return this.#open ? this.#open.count : 0;
  }

  /** performance.now() when the open packet got its first event, or -1. */
  get openSince(): number {
    return this.#open && this.#open.count > 0 ? this.#open.openedAt : -1;
  }

  #take(): PooledPacket | null {
    if (this.#freeCount === 0) return null;
    const packet = this.#pool[this.#free[--this.#freeCount]];
    packet.length = this.#start;
    packet.count = 0;
    packet.oldestMs = 0;
    packet.openedAt = performance.now();
    return packet;
  }

  /** Serializes one event into the open packet, transmitting it first if the event does not fit. */
  append(meta: number, nameId: number, tagSetId: number, value: number, timestampMs: number): number {
    const name = this.#names.bytes(nameId);
    const tags = this.#binary ? this.#tagSets.binary(tagSetId) : this.#tagSets.text(tagSetId);
    const bound = name.length + tags.length + (this.#binary ? BINARY_EVENT_OVERHEAD : TEXT_EVENT_OVERHEAD);
    if (this.#start + bound > this.#max + SLACK) return AppendResult.Oversize;
    let packet = this.#open;
    if (packet === null) {
      packet = this.#take();
      if (packet === null) return AppendResult.NoBuffer;
      this.#open = packet;
    } else if (packet.length + bound > packet.bytes.length) {
      if (this.#freeCount === 0) return AppendResult.NoBuffer;
      this.sendOpen();
      packet = this.#take()!;
      this.#open = packet;
    }
    const at = packet.length;
    const end = this.#write(packet, at, meta, name, value, timestampMs, tags);
    if (end <= this.#max) {
      this.#commit(packet, end, timestampMs);
      return AppendResult.Ok;
    }
    if (packet.count === 0) return AppendResult.Oversize; // does not fit even alone
    // Does not fit: send what is there, move the event's bytes to a fresh packet.
    if (this.#freeCount === 0) return AppendResult.NoBuffer;
    packet.length = at;
    this.sendOpen();
    const next = this.#take()!;
    this.#open = next;
    if (this.#binary) {
      // Binary events are position independent: copy them.
      next.bytes.set(packet.bytes.subarray(at, end), this.#start);
      this.#commit(next, this.#start + (end - at), timestampMs);
    } else {
      next.bytes.set(packet.bytes.subarray(at, end), 0);
      this.#commit(next, end - at, timestampMs);
    }
    return AppendResult.Ok;
  }

  #write(
    packet: PooledPacket,
    at: number,
    meta: number,
    name: Uint8Array,
    value: number,
    timestampMs: number,
    tags: Uint8Array,
  ): number {
    if (this.#binary) {
      return writeBinaryEvent(
        packet.bytes,
        packet.view,
        at,
        meta & 7,
        (meta >> 3) & 3,
        (meta >> 5) & 7,
        name,
        value,
        timestampMs,
        tags,
      );
    }
    return writeTextEvent(packet.bytes, at, meta & 7, name, value, tags, (meta >> 5) & 7);
  }

  #commit(packet: PooledPacket, end: number, timestampMs: number): void {
    packet.length = end;
    if (packet.count === 0 || timestampMs < packet.oldestMs) packet.oldestMs = timestampMs;
    packet.count++;
  }

  /** Seals and transmits the open packet if it has events. */
  sendOpen(): void {
    const packet = this.#open;
    if (packet === null || packet.count === 0) return;
    this.#open = null;
    if (this.#binary) {
      sealBinaryPacket(packet.bytes, packet.view, packet.length, this.#sequence++, packet.count);
    }
    packet.sentAt = performance.now();
    this.#transmit(packet);
  }

  /** Returns the open packet, unsent, with its events: they are the caller's to count as dropped. */
  discardOpen(): number {
    const packet = this.#open;
    if (packet === null) return 0;
    this.#open = null;
    const n = packet.count;
    this.#free[this.#freeCount++] = packet.index;
    return n;
  }

  /** Returns a transmitted packet to the pool without a socket (circuit open, socket missing). */
  recycle(packet: PooledPacket): void {
    this.#free[this.#freeCount++] = packet.index;
  }

  #onDone(packet: PooledPacket, error: Error | null): void {
    this.#free[this.#freeCount++] = packet.index;
    this.#completed(packet, error);
  }
}
