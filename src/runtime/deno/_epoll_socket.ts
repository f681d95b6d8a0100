/**
 * Plain TCP client sockets on Deno over Linux epoll (libc through FFI, see
 * `_epoll_libc.ts`): one epoll instance per isolate, level-triggered, with one
 * shared receive buffer. A round of the poll loop checks for ready sockets
 * without waiting, handles them, then waits on a helper thread (so timers and
 * messages run meanwhile) and handles what that returns.
 *
 * Per request this costs one `send` and one `recv` call and no promise; per
 * socket, a file descriptor and one small object. Events go to the same
 * `TcpListener` as the other adapters, never synchronously from `write()` or
 * from the connect call itself.
 *
 * @module
 */
import type { TcpListener, TcpSocket } from "../types.ts";
import {
  AF_INET,
  EAGAIN,
  EFD_NONBLOCK_CLOEXEC,
  EINPROGRESS,
  EINTR,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_MOD,
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  IPPROTO_TCP,
  type Libc,
  MSG_NOSIGNAL,
  SO_ERROR,
  SOCK_STREAM_NONBLOCK_CLOEXEC,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./_epoll_libc.ts";
import { osError } from "./_epoll_errors.ts";

/** Events fetched per `epoll_wait`. */
const MAX_EVENTS = 512;
/** Longest wait on the helper thread, ms: bounds how long the loop outlives its last socket. */
const WAIT_MS = 5000;
/** The shared receive buffer: enough for a typical response in one call; bigger ones take several. */
const RECEIVE_BYTES = 64 * 1024;

/** One epoll instance and its sockets, per isolate. */
class Poller {
  readonly epfd: number;
  private readonly events: Uint8Array;
  private readonly view: DataView;
  readonly receive = new Uint8Array(RECEIVE_BYTES);
  private readonly event = new Uint8Array(16);
  private readonly eventView = new DataView(this.event.buffer);
  /** Scratch for socket options (an int and its length), shared by all sockets. */
  readonly option = new Int32Array(2);
  readonly optionBytes = new Uint8Array(this.option.buffer, 0, 4);
  readonly optionLength = new Uint8Array(this.option.buffer, 4, 4);
  /** Sockets by file descriptor. */
  private readonly sockets: Array<EpollSocket | undefined> = [];
  private count = 0;
  private polling = false;
  private nextToken = 1;

  /** Written when the last socket goes, so that a wait on the helper thread ends and the loop stops. */
  private readonly wakeFd: number;
  /** The 8-byte 1 that a wake writes; reads drain into their own buffer, so this one stays 1. */
  private readonly wakeOne = new Uint8Array(new BigUint64Array([1n]).buffer);
  private readonly wakeDrain = new Uint8Array(8);

  constructor(readonly libc: Libc) {
    this.epfd = libc.epoll_create1(EPOLL_CLOEXEC);
    if (this.epfd < 0) throw osError(libc.errno(), "epoll_create1");
    this.wakeFd = libc.eventfd(0, EFD_NONBLOCK_CLOEXEC);
    if (this.wakeFd < 0) throw osError(libc.errno(), "eventfd");
    this.events = new Uint8Array(MAX_EVENTS * libc.eventBytes);
    this.view = new DataView(this.events.buffer);
    this.control(EPOLL_CTL_ADD, this.wakeFd, EPOLLIN, 0); // token 0: no socket has it
  }

  /** Registers `socket` (its fd is open) for `events`; returns its token (guards against fd reuse). */
  add(socket: EpollSocket, events: number): number {
    const token = this.nextToken++ >>> 0 || this.nextToken++;
    this.sockets[socket.fd] = socket;
    this.count++;
    this.control(EPOLL_CTL_ADD, socket.fd, events, token);
    if (!this.polling) {
      this.polling = true;
      this.loop();
    }
    return token;
  }

  modify(socket: EpollSocket, events: number): void {
    this.control(EPOLL_CTL_MOD, socket.fd, events, socket.token);
  }

  /** Forgets `socket` (closing the fd removes it from the epoll set). */
  remove(socket: EpollSocket): void {
    if (this.sockets[socket.fd] === socket) {
      this.sockets[socket.fd] = undefined;
      if (--this.count === 0 && this.polling) this.libc.write(this.wakeFd, this.wakeOne, 8);
    }
  }

  private control(op: number, fd: number, events: number, token: number): void {
    const v = this.eventView;
    const at = this.libc.dataOffset;
    v.setUint32(0, events, true);
    v.setUint32(at, fd, true);
    v.setUint32(at + 4, token, true);
    this.libc.epoll_ctl(this.epfd, op, fd, this.event);
  }

  private async loop(): Promise<void> {
    const libc = this.libc;
    try {
      while (this.count > 0) {
        const ready = libc.epoll_wait(this.epfd, this.events, MAX_EVENTS, 0);
        if (ready > 0) this.dispatch(ready);
        if (this.count === 0) break;
        const waited = await libc.epoll_wait_async(this.epfd, this.events, MAX_EVENTS, WAIT_MS);
        if (waited > 0) this.dispatch(waited);
      }
    } finally {
      this.polling = false;
    }
  }

  private dispatch(n: number): void {
    const v = this.view;
    const size = this.libc.eventBytes;
    const at = this.libc.dataOffset;
    for (let i = 0, o = 0; i < n; i++, o += size) {
      const fd = v.getUint32(o + at, true);
      if (fd === this.wakeFd) {
        this.libc.read(this.wakeFd, this.wakeDrain, 8); // reset the eventfd (level-triggered)
        continue;
      }
      const socket = this.sockets[fd];
      // A socket closed earlier in this batch may have left its fd to a newer one: the token tells.
      if (socket !== undefined && socket.token === v.getUint32(o + at + 4, true)) {
        socket.ready(v.getUint32(o, true));
      }
    }
  }
}

let poller: Poller | undefined;

/** A client socket driven by the isolate's epoll loop. */
class EpollSocket implements TcpSocket {
  readonly alpnProtocol: string | null = null;
  fd = -1;
  token = 0;
  private closed = false;
  private connecting = true;
  // Bytes not yet sent; a partial send continues from `writeOffset` when the socket is writable.
  private writing: Uint8Array | null = null;
  private writeOffset = 0;

  constructor(private readonly poller: Poller, private readonly listener: TcpListener) {}

  start(address: Uint8Array): void {
    const libc = this.poller.libc;
    const fd = libc.socket(AF_INET, SOCK_STREAM_NONBLOCK_CLOEXEC, 0);
    if (fd < 0) {
      this.failLater(osError(libc.errno(), "socket"));
      return;
    }
    this.fd = fd;
    const p = this.poller;
    p.option[0] = 1;
    libc.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, p.optionBytes, 4);
    const r = libc.connect(fd, address, address.length);
    const errno = r < 0 ? libc.errno() : 0;
    if (r < 0 && errno !== EINPROGRESS && errno !== EINTR) {
      this.failLater(osError(errno, "connect"));
      return;
    }
    // Connected or not, the outcome is reported from the loop: EPOLLOUT once the connect finished.
    this.token = this.poller.add(this, EPOLLOUT | EPOLLIN);
  }

  /** Called by the poller with the ready events. */
  ready(events: number): void {
    if (this.connecting) {
      if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) === 0) return;
      const p = this.poller;
      p.option[0] = 0;
      p.option[1] = 4;
      p.libc.getsockopt(this.fd, SOL_SOCKET, SO_ERROR, p.optionBytes, p.optionLength);
      const error = p.option[0];
      if (error !== 0) {
        this.ended(osError(error, "connect"));
        return;
      }
      this.connecting = false;
      this.poller.modify(this, EPOLLIN);
      this.listener.onTcpOpen(this);
      return;
    }
    if ((events & EPOLLOUT) !== 0 && this.writing !== null) {
      this.flush();
      if (this.closed) return;
    }
    if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) === 0) return;
    const libc = this.poller.libc;
    const buffer = this.poller.receive;
    const n = libc.recv(this.fd, buffer, buffer.length, 0);
    if (n > 0) {
      this.listener.onTcpData(this, buffer, n);
      return;
    }
    if (n === 0) {
      this.ended(undefined);
      return;
    }
    const errno = libc.errno();
    if (errno !== EAGAIN && errno !== EINTR) this.ended(osError(errno, "recv"));
  }

  write(bytes: Uint8Array): void {
    this.send(bytes, bytes.length, false);
  }

  writeTransient(buffer: Uint8Array, length: number): void {
    this.send(buffer, length, true);
  }

  /** Sends `bytes[0, length)`; what the kernel does not take is kept (a copy when `transient`). */
  private send(bytes: Uint8Array, length: number, transient: boolean): void {
    if (this.closed || this.connecting) return;
    if (this.writing !== null) {
      // A send is still under way: append (rare; the HTTP client sends one request at a time).
      const rest = this.writing.subarray(this.writeOffset);
      const joined = new Uint8Array(rest.length + length);
      joined.set(rest, 0);
      joined.set(length === bytes.length ? bytes : bytes.subarray(0, length), rest.length);
      this.writing = joined;
      this.writeOffset = 0;
      return;
    }
    const libc = this.poller.libc;
    const n = libc.send(this.fd, bytes, length, MSG_NOSIGNAL);
    if (n === length) return;
    if (n < 0) {
      const errno = libc.errno();
      if (errno !== EAGAIN && errno !== EINTR) {
        // Reported from a microtask: the caller is still inside its own state change.
        this.failLater(osError(errno, "send"));
        return;
      }
    }
    const sent = n > 0 ? n : 0;
    this.writing = transient
      ? bytes.slice(sent, length)
      : length === bytes.length
      ? bytes
      : bytes.subarray(0, length);
    this.writeOffset = transient ? 0 : sent;
    this.poller.modify(this, EPOLLIN | EPOLLOUT);
  }

  private flush(): void {
    const bytes = this.writing!;
    const libc = this.poller.libc;
    const rest = this.writeOffset === 0 ? bytes : bytes.subarray(this.writeOffset);
    const n = libc.send(this.fd, rest, rest.length, MSG_NOSIGNAL);
    if (n < 0) {
      const errno = libc.errno();
      if (errno !== EAGAIN && errno !== EINTR) this.ended(osError(errno, "send"));
      return;
    }
    this.writeOffset += n;
    if (this.writeOffset < bytes.length) return;
    this.writing = null;
    this.poller.modify(this, EPOLLIN);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  private failLater(error: Error): void {
    queueMicrotask(() => this.ended(error));
  }

  /** Reports the close to the listener once, unless the owner closed first. */
  private ended(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.listener.onTcpClose(this, error);
  }

  private release(): void {
    this.writing = null;
    if (this.fd < 0) return;
    this.poller.remove(this);
    this.poller.libc.close(this.fd);
    this.fd = -1;
  }
}

/** `sockaddr_in` for an IPv4 address and port, or null when `hostname` is not a dotted quad. */
function ipv4Address(hostname: string, port: number): Uint8Array | null {
  const parts = hostname.split(".");
  if (parts.length !== 4) return null;
  const address = new Uint8Array(16);
  address[0] = AF_INET; // sa_family, little-endian u16
  address[2] = port >> 8;
  address[3] = port & 0xff;
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const byte = Number(parts[i]);
    if (byte > 255) return null;
    address[4 + i] = byte;
  }
  return address;
}

/**
 * Opens a TCP connection over epoll when `hostname` is an IPv4 address and
 * libc is usable (see `loadLibc`); returns null otherwise, and the caller
 * uses `Deno.connect`.
 *
 * @example
 * ```ts
 * import { loadLibc } from "./_epoll_libc.ts";
 * import { epollConnect } from "./_epoll_socket.ts";
 * const libc = loadLibc();
 * const socket = libc && epollConnect(libc, "127.0.0.1", 8080, {
 *   onTcpOpen: (s) => s.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
 *   onTcpData: (_s, _bytes, length) => console.log(length),
 *   onTcpClose: (_s, error) => console.log("closed", error),
 * });
 * socket?.close();
 * ```
 */
export function epollConnect(
  libc: Libc,
  hostname: string,
  port: number,
  listener: TcpListener,
): TcpSocket | null {
  const address = ipv4Address(hostname, port);
  if (address === null) return null;
  if (poller === undefined) {
    try {
      poller = new Poller(libc);
    } catch {
      return null;
    }
  }
  const socket = new EpollSocket(poller, listener);
  socket.start(address);
  return socket;
}
