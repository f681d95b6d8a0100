/**
 * One HTTP/2 client connection (RFC 9113) shared by several stream handles:
 * the preface and SETTINGS exchange, flow control, HEADERS/CONTINUATION with
 * HPACK, DATA, RST_STREAM, GOAWAY (unprocessed streams go to a new
 * connection), PING, and the server's SETTINGS_MAX_CONCURRENT_STREAMS.
 * Runs over any byte stream behind the `TcpSocket` interface (TCP for h2c,
 * TLS with ALPN "h2"). Writes are batched per turn of the event loop.
 *
 * @module
 */
import { ErrorKind } from "../../collector/types.ts";
import type { TcpListener, TcpSocket } from "../../runtime/types.ts";
import { classifyError } from "../errors.ts";
import { errorMessage } from "../failure_message.ts";
import type { FrameHandler } from "./_frame_reader.ts";
import { FrameReader } from "./_frame_reader.ts";
import {
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  Flag,
  FrameType,
  H2Error,
  MAX_WINDOW,
  readUint32,
  Setting,
} from "./_frames.ts";
import { FrameWriter } from "./_frame_writer.ts";
import { HpackDecoder } from "./_hpack_decoder.ts";
import type { H2Request } from "./_request.ts";
import { H2StreamConnection, StreamState } from "./_stream.ts";
import type { StreamSession } from "./_stream.ts";
import { StreamQueue } from "./_stream_queue.ts";
import { StreamTable } from "./_stream_table.ts";

/** Our receive window per stream and for the connection: large, so the server is never throttled. */
const LOCAL_WINDOW = (1 << 30) - 1;
const MAX_STREAM_ID = 0x7fffffff;
const PING_PAYLOAD = new Uint8Array(8);
const LENGTH_MISMATCH = "DATA length differs from content-length";

/** Opens the byte stream a session runs over (TCP, or TLS with ALPN "h2"). */
export type H2ConnectFn = (listener: TcpListener) => TcpSocket;

/** Options of an `H2Session`. */
export interface H2SessionOptions {
  /** The request every stream sends. */
  request: H2Request;
  /** Opens the byte stream. */
  connect: H2ConnectFn;
  /**
   * Checks a socket once it is open (e.g. that ALPN chose "h2"); a non-null
   * message fails the connection's requests as `protocol` errors.
   */
  verifyOpen?: (socket: TcpSocket) => string | null;
  /** gRPC: read grpc-status, grpc-message and content-type, and hand DATA to the handles' sinks. */
  grpc?: boolean;
}

/**
 * An HTTP/2 connection carrying the requests of its stream handles.
 *
 * @example
 * ```ts
 * // Sessions are made by H2ConnectionPool (./pool.ts), which hands out their stream handles.
 * ```
 */
export class H2Session implements TcpListener, FrameHandler, StreamSession {
  /** Why the last connection failed at the protocol level, for diagnostics. */
  lastError: string | null = null;
  /** Counts reads; a stream remembers it to tell whether the connection answered since. */
  readCount = 0;

  readonly #request: H2Request;
  readonly #connect: H2ConnectFn;
  readonly #verifyOpen: ((socket: TcpSocket) => string | null) | null;
  readonly #handles: H2StreamConnection[] = [];
  #closedHandles = 0;
  #table = new StreamTable<H2StreamConnection>(16);
  readonly #queue = new StreamQueue<H2StreamConnection>();

  #socket: TcpSocket | null = null;
  #feeding: TcpSocket | null = null;
  #connects = 0;
  #ready = false; // the server's first SETTINGS arrived
  #goingAway = false;
  /** readCount when our liveness PING went out, -1 when none is outstanding. */
  #pingMark = -1;
  #nextStreamId = 1;
  #active = 0;
  #remoteMaxStreams = MAX_STREAM_ID;
  #remoteInitialWindow = DEFAULT_WINDOW;
  #remoteMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  #connSendWindow = DEFAULT_WINDOW;
  #connRecvWindow = LOCAL_WINDOW;
  #connRecvConsumed = 0;
  #blockedBodies = false;

  readonly #reader = new FrameReader(this);
  readonly #decoder = new HpackDecoder();
  // Header block being assembled from HEADERS + CONTINUATION.
  #hbStream = 0;
  #hbEndStream = false;
  #hbBuf = new Uint8Array(DEFAULT_MAX_FRAME_SIZE);
  #hbLen = 0;

  readonly #w = new FrameWriter();
  #flushQueued = false;
  readonly #flushTask = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  constructor(options: H2SessionOptions) {
    this.#request = options.request;
    this.#connect = options.connect;
    this.#verifyOpen = options.verifyOpen ?? null;
    if (options.grpc === true) this.#decoder.readGrpc = true;
  }

  /** Adds a stream handle that sends through this session. */
  createStream(
    onResponse: (status: number, bodyBytes: number, errorKind: number) => void,
  ): H2StreamConnection {
    const handle = new H2StreamConnection(this, onResponse);
    this.#handles.push(handle);
    this.#table = new StreamTable<H2StreamConnection>(this.#handles.length);
    return handle;
  }

  /** Number of connections opened so far. */
  get connects(): number {
    return this.#connects;
  }

  /** Streams open on the wire now. */
  get activeStreams(): number {
    return this.#active;
  }

  // ---- called by the stream handles ----

  /** @internal Queues `h`'s request and starts it when the connection allows. */
  submit(h: H2StreamConnection): void {
    h.state = StreamState.Queued;
    this.#queue.push(h);
    if (this.#socket === null) this.#open();
    else this.#pump();
  }

  /** @internal Fails `h`'s request with `kind`. */
  abort(h: H2StreamConnection, kind: number): void {
    if (h.state === StreamState.Queued) {
      this.#queue.remove(h);
      const stuck = !this.#ready && this.#socket !== null;
      this.#complete(h, 0, 0, kind, abortMessage(kind, "waiting for a stream"));
      // A connection that never finished its SETTINGS exchange is given up on.
      if (stuck && this.#socket !== null && !this.#ready) this.#recycle();
      return;
    }
    if (h.state !== StreamState.Open) return;
    if (h.readMark === this.readCount || (this.#pingMark >= 0 && this.#pingMark === this.readCount)) {
      // Nothing arrived since that stream began, or since the PING of an earlier timeout: the
      // connection looks dead. No new streams go on it; once its open streams end (or time out
      // themselves) the queued ones go to a new connection.
      this.#goingAway = true;
    } else if (this.#pingMark < 0 && this.#socket !== null) {
      // Ask the peer for a sign of life; the next timeout without one gives the connection up.
      this.#w.frame(FrameType.Ping, 0, 0, PING_PAYLOAD, 0, 8);
      this.#pingMark = this.readCount;
      this.#scheduleFlush();
    }
    this.#writeRst(h.streamId, H2Error.Cancel);
    this.#removeStream(h);
    this.#complete(h, 0, 0, kind, abortMessage(kind, "on an open stream"));
  }

  /** @internal Drops `h`'s request without reporting it. */
  cancel(h: H2StreamConnection): void {
    if (h.state === StreamState.Queued) this.#queue.remove(h);
    else if (h.state === StreamState.Open) {
      this.#writeRst(h.streamId, H2Error.Cancel);
      this.#removeStream(h);
    }
    h.state = StreamState.Idle;
  }

  /** @internal More request data for `h`'s stream (before it opens: added to its body). */
  write(h: H2StreamConnection, bytes: Uint8Array, end: boolean): void {
    if (h.state === StreamState.Open) {
      const out = h.out ?? EMPTY;
      if (h.bodyOffset >= out.length) h.out = bytes;
      else h.out = concat(out.subarray(h.bodyOffset), bytes);
      h.bodyOffset = 0;
      h.outEnd = end;
      this.#sendBody(h);
      this.#scheduleFlush();
    } else if (h.state === StreamState.Queued) {
      h.body = h.body === null || h.body.length === 0 ? bytes : concat(h.body, bytes);
      h.keepOpen = !end;
    }
  }

  /** @internal A handle was closed; the socket closes with the last one. */
  handleClosed(): void {
    this.#closedHandles++;
    if (this.#closedHandles >= this.#handles.length) this.#closeSocket();
  }

  /** @internal A closed handle is sending again. */
  reopened(): void {
    this.#closedHandles--;
  }

  // ---- socket events ----

  /** @internal */
  onTcpOpen(socket: TcpSocket): void {
    if (socket !== this.#socket) return;
    const problem = this.#verifyOpen?.(socket) ?? null;
    if (problem !== null) {
      this.lastError = problem;
      this.#failConnection(ErrorKind.Protocol, null, true);
      return;
    }
    this.#w.preface(LOCAL_WINDOW);
    this.flush();
  }

  /** @internal */
  onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void {
    if (socket !== this.#socket) return;
    this.readCount++;
    this.#feeding = socket;
    const ok = this.#reader.feed(bytes, 0, length);
    this.#feeding = null;
    if (!ok && this.#socket === socket) {
      this.lastError = this.#reader.error;
      this.#connectionError(H2Error.FrameSizeError);
      return;
    }
    this.flush();
  }

  /** @internal */
  onTcpClose(socket: TcpSocket, error: unknown): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    const kind = error === undefined || error === null ? ErrorKind.Reset : classifyError(error);
    this.#failConnection(kind, error, false);
  }

  // ---- frames ----

  /** @internal */
  onFrame(type: number, flags: number, sid: number, p: Uint8Array, start: number, len: number): boolean {
    if (this.#hbStream !== 0 && type !== FrameType.Continuation) {
      return this.#protocolError("expected CONTINUATION");
    }
    switch (type) {
      case FrameType.Headers:
        this.#onHeaders(flags, sid, p, start, len);
        break;
      case FrameType.Continuation:
        if (this.#hbStream === 0 || sid !== this.#hbStream) {
          return this.#protocolError("unexpected CONTINUATION");
        }
        this.#appendBlock(p, start, start + len);
        if (flags & Flag.EndHeaders) {
          this.#hbStream = 0;
          this.#onHeaderBlock(sid, this.#hbEndStream, this.#hbBuf, 0, this.#hbLen);
        }
        break;
      case FrameType.Settings:
        this.#onSettings(flags, sid, p, start, len);
        break;
      case FrameType.Ping:
        if (sid !== 0) return this.#protocolError("PING on a stream");
        if (len !== 8) return this.#connectionError(H2Error.FrameSizeError, "PING of the wrong size");
        if (flags & Flag.Ack) this.#pingMark = -1;
        else {
          this.#w.frame(FrameType.Ping, Flag.Ack, 0, p, start, 8);
        }
        break;
      case FrameType.GoAway:
        if (sid !== 0) return this.#protocolError("GOAWAY on a stream");
        if (len < 8) return this.#connectionError(H2Error.FrameSizeError, "GOAWAY too short");
        this.#onGoAway(readUint32(p, start) & MAX_STREAM_ID, readUint32(p, start + 4));
        break;
      case FrameType.RstStream:
        if (sid === 0) return this.#protocolError("RST_STREAM on stream 0");
        if (len !== 4) return this.#connectionError(H2Error.FrameSizeError, "RST_STREAM of the wrong size");
        if (sid >= this.#nextStreamId) return this.#protocolError("RST_STREAM on an idle stream");
        this.#onRstStream(sid, readUint32(p, start));
        break;
      case FrameType.WindowUpdate:
        if (len !== 4) {
          return this.#connectionError(H2Error.FrameSizeError, "WINDOW_UPDATE of the wrong size");
        }
        this.#onWindowUpdate(sid, readUint32(p, start) & MAX_WINDOW);
        break;
      case FrameType.PushPromise:
        return this.#protocolError("PUSH_PROMISE although push is disabled");
      default:
        // PRIORITY and unknown frame types are ignored (RFC 9113 §4.1, §5.5).
        break;
    }
    return this.#socket !== null && this.#socket === this.#feeding;
  }

  /** @internal Response data as it arrives: to a gRPC handle's sink, and to a timed stream's tap. */
  onDataBytes(sid: number, bytes: Uint8Array, start: number, length: number): void {
    const h = this.#table.get(sid);
    if (h === null || !h.headersDone) return;
    if (h.sink !== null) h.sink.onBytes(bytes, start, length);
    if (h.tap !== null) h.tap.body(bytes, start, start + length);
  }

  /** @internal */
  onData(sid: number, flags: number, frameLength: number, dataLength: number): boolean {
    if (this.#hbStream !== 0) return this.#protocolError("expected CONTINUATION");
    if (sid === 0) return this.#protocolError("DATA on stream 0");
    this.#connRecvWindow -= frameLength;
    if (this.#connRecvWindow < 0) {
      return this.#connectionError(H2Error.FlowControlError, "connection window exceeded");
    }
    this.#connRecvConsumed += frameLength;
    if (this.#connRecvConsumed >= LOCAL_WINDOW >>> 1) {
      this.#writeWindowUpdate(0, this.#connRecvConsumed);
      this.#connRecvWindow += this.#connRecvConsumed;
      this.#connRecvConsumed = 0;
    }
    const h = this.#table.get(sid);
    if (h === null) {
      if (sid >= this.#nextStreamId) return this.#protocolError("DATA on an idle stream");
      return true; // a stream we reset: its remaining frames are dropped
    }
    if (!h.headersDone) {
      this.#streamError(h, H2Error.ProtocolError, "DATA before the response headers");
      return this.#socket === this.#feeding;
    }
    h.recvWindow -= frameLength;
    if (h.recvWindow < 0) {
      this.#streamError(h, H2Error.FlowControlError, "stream window exceeded");
      return this.#socket === this.#feeding;
    }
    h.bodyBytes += dataLength;
    if (h.contentLength >= 0 && h.bodyBytes > h.contentLength && this.#hasContent(h)) {
      // More DATA than the content-length: malformed (RFC 9113 §8.1.1), known before the end.
      this.#streamError(h, H2Error.ProtocolError, LENGTH_MISMATCH);
      return this.#socket === this.#feeding;
    }
    if (flags & Flag.EndStream) this.#finish(h);
    else {
      // Mid-stream: what this frame brought is timed now (the end by the caller's clock read).
      const tap = h.tap;
      if (tap !== null && tap.pending) tap.stamp(tap.now());
      h.recvConsumed += frameLength;
      if (h.recvConsumed >= LOCAL_WINDOW >>> 1) {
        this.#writeWindowUpdate(sid, h.recvConsumed);
        h.recvWindow += h.recvConsumed;
        h.recvConsumed = 0;
      }
    }
    return this.#socket !== null && this.#socket === this.#feeding;
  }

  #onHeaders(flags: number, sid: number, p: Uint8Array, start: number, len: number): void {
    if (sid === 0 || (sid & 1) === 0 || sid >= this.#nextStreamId) {
      this.#protocolError("HEADERS on a stream we did not open");
      return;
    }
    let from = start;
    let to = start + len;
    if (flags & Flag.Padded) {
      if (len < 1) return void this.#protocolError("HEADERS padding missing");
      to -= p[from++];
    }
    if (flags & Flag.Priority) from += 5;
    if (from > to) return void this.#protocolError("HEADERS padding exceeds the frame");
    if (flags & Flag.EndHeaders) {
      this.#onHeaderBlock(sid, (flags & Flag.EndStream) !== 0, p, from, to);
      return;
    }
    this.#hbStream = sid;
    this.#hbEndStream = (flags & Flag.EndStream) !== 0;
    this.#hbLen = 0;
    this.#appendBlock(p, from, to);
  }

  #appendBlock(p: Uint8Array, from: number, to: number): void {
    const need = this.#hbLen + (to - from);
    if (need > this.#hbBuf.length) {
      const bigger = new Uint8Array(Math.max(need, this.#hbBuf.length * 2));
      bigger.set(this.#hbBuf.subarray(0, this.#hbLen), 0);
      this.#hbBuf = bigger;
    }
    this.#hbBuf.set(p.subarray(from, to), this.#hbLen);
    this.#hbLen = need;
  }

  #onHeaderBlock(sid: number, endStream: boolean, src: Uint8Array, from: number, to: number): void {
    // Every block is decoded, even for a stream we reset: the HPACK table must stay in step.
    const decoder = this.#decoder;
    if (!decoder.decode(src, from, to)) {
      this.#connectionError(H2Error.CompressionError, "HPACK decoding failed");
      return;
    }
    const h = this.#table.get(sid);
    if (h === null) return;
    if (decoder.grpcStatus >= 0) {
      h.grpcStatus = decoder.grpcStatus;
      h.grpcMessage = decoder.grpcMessage;
    }
    if (h.headersDone) {
      // Trailers: they must end the stream.
      if (!endStream) this.#streamError(h, H2Error.ProtocolError, "trailers without END_STREAM");
      else this.#finish(h);
      return;
    }
    const status = decoder.status;
    if (status === 0 || decoder.malformed || status === 101 || (status < 200 && endStream)) {
      this.#streamError(
        h,
        H2Error.ProtocolError,
        decoder.malformed
          ? decoder.malformedReason
          : status === 0
          ? "no valid :status"
          : status === 101
          ? "101 Switching Protocols"
          : "an informational response ending the stream",
      );
      return;
    }
    if (status < 200) return; // informational (1xx): the final response follows
    h.status = status;
    h.contentType = decoder.contentType;
    h.contentLength = decoder.contentLength;
    h.headersDone = true;
    if (h.tap !== null) h.tap.head(decoder.eventStream);
    if (endStream) this.#finish(h);
  }

  #onSettings(flags: number, sid: number, p: Uint8Array, start: number, len: number): void {
    if (sid !== 0) return void this.#protocolError("SETTINGS on a stream");
    if (flags & Flag.Ack) {
      if (len !== 0) this.#connectionError(H2Error.FrameSizeError, "SETTINGS ACK with a payload");
      return;
    }
    if (len % 6 !== 0) {
      return void this.#connectionError(H2Error.FrameSizeError, "SETTINGS of the wrong size");
    }
    for (let at = start; at < start + len; at += 6) {
      const id = (p[at] << 8) | p[at + 1];
      const value = readUint32(p, at + 2);
      if (id === Setting.MaxConcurrentStreams) this.#remoteMaxStreams = Math.min(value, MAX_STREAM_ID);
      else if (id === Setting.InitialWindowSize) {
        if (value > MAX_WINDOW) {
          return void this.#connectionError(H2Error.FlowControlError, "initial window too large");
        }
        const delta = value - this.#remoteInitialWindow;
        this.#remoteInitialWindow = value;
        if (delta !== 0) this.#table.forEach((h) => (h.sendWindow += delta));
        if (delta > 0) this.#blockedBodies = true;
      } else if (id === Setting.MaxFrameSize) {
        if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) {
          return void this.#protocolError("SETTINGS_MAX_FRAME_SIZE out of range");
        }
        this.#remoteMaxFrame = value;
      } else if (id === Setting.EnablePush && value > 1) {
        return void this.#protocolError("bad SETTINGS_ENABLE_PUSH");
      }
      // HEADER_TABLE_SIZE needs nothing: our requests never use the dynamic table.
    }
    this.#w.settingsAck();
    if (!this.#ready) this.#ready = true;
    this.#pump();
  }

  #onGoAway(lastStreamId: number, _code: number): void {
    this.#goingAway = true;
    // Streams above the last id were not processed: they go to a new connection, in order.
    const retry: H2StreamConnection[] = [];
    this.#table.forEach((h) => {
      if (h.streamId > lastStreamId) retry.push(h);
    });
    retry.sort((a, b) => b.streamId - a.streamId);
    for (const h of retry) {
      this.#removeStream(h);
      h.retries++;
      h.state = StreamState.Queued;
      this.#queue.pushFront(h);
    }
    this.#recycleIfDrained();
  }

  #onRstStream(sid: number, code: number): void {
    const h = this.#table.get(sid);
    if (h === null) return;
    this.#removeStream(h);
    if (code === H2Error.RefusedStream) {
      // Not processed by the server (RFC 9113 §8.7): safe to send again.
      h.retries++;
      h.state = StreamState.Queued;
      this.#queue.pushFront(h);
      this.#pump();
      return;
    }
    this.#complete(
      h,
      0,
      0,
      code === H2Error.ProtocolError ? ErrorKind.Protocol : ErrorKind.Reset,
      `stream reset by the server (RST_STREAM error code ${code})`,
    );
  }

  #onWindowUpdate(sid: number, increment: number): void {
    if (sid === 0) {
      if (increment === 0) return void this.#protocolError("WINDOW_UPDATE of 0");
      this.#connSendWindow += increment;
      if (this.#connSendWindow > MAX_WINDOW) {
        return void this.#connectionError(H2Error.FlowControlError, "connection window overflow");
      }
      this.#blockedBodies = true;
      this.#resumeBodies();
      return;
    }
    const h = this.#table.get(sid);
    if (h === null) return;
    if (increment === 0) return void this.#streamError(h, H2Error.ProtocolError, "WINDOW_UPDATE of 0");
    h.sendWindow += increment;
    if (h.sendWindow > MAX_WINDOW) {
      return void this.#streamError(h, H2Error.FlowControlError, "stream window overflow");
    }
    this.#blockedBodies = true;
    this.#resumeBodies();
  }

  // ---- streams ----

  #pump(): void {
    if (!this.#ready || this.#goingAway || this.#socket === null) return;
    const limit = this.#remoteMaxStreams;
    while (this.#queue.length > 0 && this.#active < limit) {
      if (this.#nextStreamId > MAX_STREAM_ID) {
        // Stream ids ran out: finish what is open, then continue on a new connection.
        this.#goingAway = true;
        this.#recycleIfDrained();
        return;
      }
      this.#startStream(this.#queue.shift());
    }
  }

  #startStream(h: H2StreamConnection): void {
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    h.streamId = id;
    h.state = StreamState.Open;
    h.resetResponse();
    h.sendWindow = this.#remoteInitialWindow;
    h.recvWindow = LOCAL_WINDOW;
    h.readMark = this.readCount;
    h.bodyOffset = 0;
    h.out = h.body ?? this.#request.body;
    h.outEnd = !h.keepOpen;
    h.endSent = false;
    this.#table.add(h);
    this.#active++;
    const req = this.#request;
    const frame = req.headersFrame;
    if (req.headerBlock.length <= this.#remoteMaxFrame) this.#w.prepared(frame, id);
    else this.#writeSplitHeaders(id);
    if (h.out !== null) this.#sendBody(h);
    this.#scheduleFlush();
  }

  #writeSplitHeaders(id: number): void {
    const block = this.#request.headerBlock;
    const max = this.#remoteMaxFrame;
    const endStream = this.#request.body === null ? Flag.EndStream : 0;
    for (let off = 0; off < block.length; off += max) {
      const n = Math.min(max, block.length - off);
      const last = off + n >= block.length;
      this.#w.frame(
        off === 0 ? FrameType.Headers : FrameType.Continuation,
        (off === 0 ? endStream : 0) | (last ? Flag.EndHeaders : 0),
        id,
        block,
        off,
        n,
      );
    }
  }

  /** Sends as much of `h`'s body as the flow-control windows allow. */
  #sendBody(h: H2StreamConnection): void {
    const body = h.out!;
    if (body.length === h.bodyOffset && h.outEnd && !h.endSent) {
      // Nothing (more) to send but the end of the request side.
      h.endSent = true;
      this.#w.frame(FrameType.Data, Flag.EndStream, h.streamId, body, 0, 0);
      return;
    }
    while (h.bodyOffset < body.length) {
      const n = Math.min(
        body.length - h.bodyOffset,
        h.sendWindow,
        this.#connSendWindow,
        this.#remoteMaxFrame,
      );
      if (n <= 0) return; // blocked until a WINDOW_UPDATE
      const end = h.bodyOffset + n >= body.length && h.outEnd;
      if (end) h.endSent = true;
      this.#w.frame(FrameType.Data, end ? Flag.EndStream : 0, h.streamId, body, h.bodyOffset, n);
      h.bodyOffset += n;
      h.sendWindow -= n;
      this.#connSendWindow -= n;
    }
  }

  #resumeBodies(): void {
    // Each stream carries its own body (`h.out`), so the session's default body says nothing here.
    if (!this.#blockedBodies) return;
    this.#blockedBodies = false;
    this.#table.forEach((h) => {
      if (h.out !== null && h.bodyOffset < h.out.length) this.#sendBody(h);
    });
    this.#scheduleFlush();
  }

  #finish(h: H2StreamConnection): void {
    const status = h.status;
    if (h.contentLength >= 0 && h.bodyBytes !== h.contentLength && this.#hasContent(h)) {
      // The body does not match its content-length: a malformed response (RFC 9113 §8.1.1).
      this.#removeStream(h);
      this.#complete(h, 0, 0, ErrorKind.Protocol, `malformed response: ${LENGTH_MISMATCH}`);
      return;
    }
    this.#removeStream(h);
    this.#complete(h, status, h.bodyBytes, ErrorKind.None);
  }

  /** Whether the response to `h` may carry content, so that its content-length counts DATA. */
  #hasContent(h: H2StreamConnection): boolean {
    return !this.#request.noResponseBody && h.status !== 204 && h.status !== 304;
  }

  /** A stream error (RFC 9113 §5.4.2): RST_STREAM with `code`; the request fails as `protocol`. */
  #streamError(h: H2StreamConnection, code: number, reason: string): void {
    this.#writeRst(h.streamId, code);
    this.#removeStream(h);
    const name = code === H2Error.FlowControlError ? "FLOW_CONTROL_ERROR" : "PROTOCOL_ERROR";
    this.#complete(h, 0, 0, ErrorKind.Protocol, `malformed response: ${reason} (stream reset with ${name})`);
  }

  #removeStream(h: H2StreamConnection): void {
    this.#table.remove(h.streamId);
    h.streamId = 0;
    h.state = StreamState.Idle;
    this.#active--;
    if (this.#goingAway) queueMicrotask(() => this.#recycleIfDrained());
  }

  #complete(h: H2StreamConnection, status: number, bytes: number, kind: number, message = ""): void {
    if (kind !== ErrorKind.None) h.lastError = message;
    h.state = StreamState.Idle;
    h.busy = false;
    h.onResponse(status, bytes, kind);
    this.#pump();
  }

  // ---- the connection ----

  #open(): void {
    if (this.#connects++ > 0 && this.#handles.length > 0) this.#handles[0].retries++;
    this.#ready = false;
    this.#goingAway = false;
    this.#pingMark = -1;
    this.#nextStreamId = 1;
    this.#active = 0;
    this.#remoteMaxStreams = MAX_STREAM_ID;
    this.#remoteInitialWindow = DEFAULT_WINDOW;
    this.#remoteMaxFrame = DEFAULT_MAX_FRAME_SIZE;
    this.#connSendWindow = DEFAULT_WINDOW;
    this.#connRecvWindow = LOCAL_WINDOW;
    this.#connRecvConsumed = 0;
    this.#blockedBodies = false;
    this.#hbStream = 0;
    this.#w.clear();
    this.#decoder.reset();
    this.#reader.reset();
    this.#socket = this.#connect(this);
  }

  /** Closes the socket once no stream is open on a connection that is going away; queued work reconnects. */
  #recycleIfDrained(): void {
    if (!this.#goingAway || this.#active > 0 || this.#socket === null) return;
    this.#recycle();
  }

  #recycle(): void {
    this.#closeSocket();
    if (this.#queue.length > 0) this.#open();
  }

  #closeSocket(): void {
    const socket = this.#socket;
    if (socket === null) return;
    this.flush();
    this.#socket = null;
    this.#ready = false;
    socket.close();
  }

  #protocolError(message: string): boolean {
    return this.#connectionError(H2Error.ProtocolError, message);
  }

  /** A connection error: GOAWAY with `code`, close, and fail every request as `protocol`. */
  #connectionError(code: number, message: string | null = null): boolean {
    if (message !== null) this.lastError = message;
    if (this.#socket !== null) this.#w.goAway(code);
    this.#failConnection(ErrorKind.Protocol, null, true);
    return false;
  }

  /**
   * Ends the connection: open streams fail with `kind`. Queued requests fail too
   * when the connection never became usable (or `failQueued`), else they go to a new one.
   */
  #failConnection(kind: number, error: unknown, failQueued = false): void {
    const usable = this.#ready;
    const message = error !== undefined && error !== null
      ? errorMessage(error)
      : kind === ErrorKind.Protocol
      ? `HTTP/2 protocol error: ${this.lastError ?? "unknown"}`
      : kind === ErrorKind.Timeout
      ? "the connection stopped answering"
      : "connection closed by the server before the response";
    this.#closeSocket();
    const failed = this.#table.drain();
    this.#active = 0;
    if (failQueued || !usable) { while (this.#queue.length > 0) failed.push(this.#queue.shift()); }
    for (const h of failed) {
      h.streamId = 0;
      h.state = StreamState.Idle;
    }
    for (const h of failed) {
      if (h.busy) {
        h.busy = false;
        h.lastError = message;
        h.onResponse(0, 0, kind);
      }
    }
    if (this.#socket === null && this.#queue.length > 0) this.#open();
  }

  // ---- output ----

  #scheduleFlush(): void {
    // While a read is being handled, onTcpData flushes at its end.
    if (this.#flushQueued || this.#feeding !== null) return;
    this.#flushQueued = true;
    queueMicrotask(this.#flushTask);
  }

  /** Writes what is buffered (one socket write per batch; the socket copies only what it cannot send). */
  flush(): void {
    const w = this.#w;
    if (w.length === 0) return;
    this.#socket?.writeTransient(w.buffer, w.length);
    w.clear();
  }

  #writeRst(sid: number, code: number): void {
    if (this.#socket === null) return;
    this.#w.rstStream(sid, code);
    this.#scheduleFlush();
  }

  #writeWindowUpdate(sid: number, increment: number): void {
    this.#w.windowUpdate(sid, increment);
  }
}

const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

function abortMessage(kind: number, where: string): string {
  return kind === ErrorKind.Timeout ? `timed out ${where}` : `aborted ${where}`;
}
