/**
 * The libc calls behind the epoll socket client on Deno (Linux only), through
 * `Deno.dlopen`: non-blocking sockets, `send`/`recv`, and one epoll instance
 * per isolate. `load()` returns null where this cannot work (another OS or
 * CPU, no FFI permission, no libc), and the caller keeps `Deno.connect`.
 *
 * Why: every `Deno.connect` socket costs about 5.5 KiB of memory with a read
 * pending (a JS connection object, a promise per pending read, a Rust future
 * and resource), and each read or write is a promise. With epoll one
 * `epoll_wait` reports many sockets at once, and a socket is a file
 * descriptor plus one small object.
 *
 * @module
 */

/** Linux constants (the same on x86_64 and aarch64). */
export const AF_INET = 2;
export const SOCK_STREAM_NONBLOCK_CLOEXEC = 1 | 0o4000 | 0o2000000;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const SOL_SOCKET = 1;
export const SO_ERROR = 4;
export const EPOLLIN = 0x1;
export const EPOLLOUT = 0x4;
export const EPOLLERR = 0x8;
export const EPOLLHUP = 0x10;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_MOD = 3;
export const EPOLL_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK_CLOEXEC = 0o4000 | 0o2000000;
/** `send` flag: report EPIPE instead of raising SIGPIPE. */
export const MSG_NOSIGNAL = 0x4000;
export const EAGAIN = 11;
export const EINTR = 4;
export const EINPROGRESS = 115;

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  write: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  epoll_wait_async: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

/** The bound libc functions (numbers in, numbers out, as in C). */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  connect(fd: number, address: Uint8Array, length: number): number;
  send(fd: number, bytes: Uint8Array, length: number, flags: number): number;
  recv(fd: number, into: Uint8Array, length: number, flags: number): number;
  close(fd: number): number;
  eventfd(initial: number, flags: number): number;
  read(fd: number, into: Uint8Array, length: number): number;
  write(fd: number, bytes: Uint8Array, length: number): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array, length: number): number;
  getsockopt(fd: number, level: number, name: number, value: Uint8Array, length: Uint8Array): number;
  epoll_create1(flags: number): number;
  epoll_ctl(epfd: number, op: number, fd: number, event: Uint8Array): number;
  epoll_wait(epfd: number, events: Uint8Array, max: number, timeoutMs: number): number;
  /** `epoll_wait` on a helper thread: the isolate keeps running while it waits. */
  epoll_wait_async(epfd: number, events: Uint8Array, max: number, timeoutMs: number): Promise<number>;
  /** `errno` of this thread after the last failed call. */
  errno(): number;
  /** Bytes per `struct epoll_event` (packed on x86_64) and the offset of its `data` field. */
  eventBytes: number;
  dataOffset: number;
}

interface DenoFfi {
  build: { os: string; arch: string };
  permissions?: { querySync?(d: { name: string }): { state: string } };
  dlopen?(path: string, symbols: unknown): { symbols: Record<string, (...a: unknown[]) => unknown> };
  UnsafePointerView?: new (pointer: unknown) => { getInt32(offset?: number): number };
}

let loaded: Libc | null | undefined;

/**
 * Binds libc once per isolate, or returns null where the epoll client cannot
 * run: not Linux on x86_64 or aarch64, FFI not granted (it is never asked
 * for: no prompt), or libc not found.
 *
 * @example
 * ```ts
 * import { loadLibc } from "./_epoll_libc.ts";
 * const libc = loadLibc();
 * console.log(libc === null ? "Deno.connect" : "epoll");
 * ```
 */
export function loadLibc(): Libc | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const d = (globalThis as unknown as { Deno?: DenoFfi }).Deno;
  if (d === undefined || d.build.os !== "linux") return null;
  if (d.build.arch !== "x86_64" && d.build.arch !== "aarch64") return null;
  if (d.dlopen === undefined || d.UnsafePointerView === undefined) return null;
  try {
    if (d.permissions?.querySync?.({ name: "ffi" }).state !== "granted") return null;
    const s = d.dlopen("libc.so.6", SYMBOLS).symbols;
    const errnoView = new d.UnsafePointerView(s.__errno_location());
    const packed = d.build.arch === "x86_64";
    loaded = {
      ...(s as unknown as Omit<Libc, "errno" | "eventBytes" | "dataOffset">),
      errno: () => errnoView.getInt32(0),
      eventBytes: packed ? 12 : 16,
      dataOffset: packed ? 4 : 8,
    };
  } catch {
    loaded = null;
  }
  return loaded;
}
