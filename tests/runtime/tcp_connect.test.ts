// The runtime's plain TCP client sockets (on Deno: epoll through FFI for IPv4
// addresses on Linux), against a node:net server: large writes that the kernel
// takes in parts, large responses that arrive over many reads, many sockets
// opened and closed at once (file descriptors reused), refused connections.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  preferSocketsForPacedLoad,
  tcpConnect,
  type TcpListener,
  type TcpSocket,
  unixConnect,
} from "../../src/runtime/connect.ts";
import { classifyError } from "../../src/http/errors.ts";
import { ErrorKind } from "../../src/collector/types.ts";
import { runtimeName } from "../../src/runtime/mod.ts";
import { LoadWorker } from "../../src/protocols/http/load_worker.ts";
import { steady, testJob } from "../_helpers/load_worker_fakes.ts";
import { ROOT, runCommand } from "../_helpers/dist_package.ts";

/** A server that answers each connection: after `expect` bytes, it sends `reply` bytes and keeps the socket. */
async function startServer(expect: number, reply: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let seen = 0;
    socket.on("data", (chunk) => {
      seen += chunk.length;
      if (seen >= expect) {
        seen -= expect;
        socket.write(Buffer.alloc(reply, 0x61));
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Opens a socket, writes `request`, resolves with the byte count once `want` bytes arrived. */
function exchange(
  port: number,
  request: Uint8Array,
  want: number,
): Promise<{ bytes: number; socket: TcpSocket }> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const timer = setTimeout(() => reject(new Error(`timed out with ${got} of ${want} bytes`)), 20_000);
    const socket = tcpConnect("127.0.0.1", port, {
      onTcpOpen: (s) => s.write(request),
      onTcpData: (_s, bytes, length) => {
        assert.ok(length > 0 && length <= bytes.length);
        got += length;
        if (got >= want) {
          clearTimeout(timer);
          resolve({ bytes: got, socket });
        }
      },
      onTcpClose: (_s, error) => {
        clearTimeout(timer);
        reject(error ?? new Error("closed early"));
      },
    });
  });
}

/** Whether this is Deno on Linux on a machine where lunge's epoll sockets run (elsewhere one path only). */
function denoHasEpoll(): boolean {
  const d = (globalThis as { Deno?: { build: { os: string; arch: string } } }).Deno;
  return d !== undefined && d.build.os === "linux" && ["x86_64", "aarch64"].includes(d.build.arch);
}

/** This runtime's arguments to run the helper script `name` (in tests/_helpers) against `port`. */
function helperArgs(name: string, port: number): string[] {
  const script = `${ROOT}/tests/_helpers/${name}`;
  return runtimeName === "deno" ? ["run", "-A", script, String(port)] : [script, String(port)];
}

describe("runtime TCP client sockets", () => {
  it("sends 8 MiB in one write and receives 8 MiB over many reads", async () => {
    const size = 8 * 1024 * 1024;
    const server = await startServer(size, size);
    try {
      const { bytes, socket } = await exchange(server.port, new Uint8Array(size).fill(0x62), size);
      assert.equal(bytes, size);
      socket.close();
    } finally {
      await server.close();
    }
  });

  it("keeps 300 sockets apart while they open, answer and close in waves", async () => {
    const server = await startServer(4, 100);
    try {
      for (let wave = 0; wave < 3; wave++) {
        const results = await Promise.all(
          Array.from({ length: 300 }, () => exchange(server.port, new Uint8Array([1, 2, 3, 4]), 100)),
        );
        for (const r of results) {
          assert.equal(r.bytes, 100);
          r.socket.close();
        }
      }
    } finally {
      await server.close();
    }
  });

  it("writes queued behind an unfinished write arrive in order", async () => {
    const size = 4 * 1024 * 1024;
    const server = await startServer(size + 3, 10);
    try {
      const { bytes, socket } = await new Promise<{ bytes: number; socket: TcpSocket }>((resolve, reject) => {
        let got = 0;
        const socket = tcpConnect("127.0.0.1", server.port, {
          onTcpOpen: (s) => {
            s.write(new Uint8Array(size));
            s.write(new Uint8Array([1, 2, 3]));
          },
          onTcpData: (_s, _b, length) => {
            got += length;
            if (got >= 10) resolve({ bytes: got, socket });
          },
          onTcpClose: (_s, error) => reject(error ?? new Error("closed early")),
        });
      });
      assert.equal(bytes, 10);
      socket.close();
    } finally {
      await server.close();
    }
  });

  for (const kind of ["tcp", "unix"] as const) {
    it(`${kind}: writeTransient sends what the buffer held at the call, though the caller reuses it at once`, async () => {
      // 4 MiB is more than the kernel takes in one call: the adapter must copy the rest before returning.
      const size = 4 * 1024 * 1024;
      const first = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
      const second = Uint8Array.of(9, 8, 7);
      const expected = createHash("sha256").update(first).update(second).digest("hex");
      const dir = mkdtempSync(join(tmpdir(), "lunge-transient-"));
      const path = join(dir, "s.sock");
      const hash = createHash("sha256");
      let seen = 0;
      const server = net.createServer((socket) => {
        socket.on("data", (chunk) => {
          hash.update(chunk);
          seen += chunk.length;
          if (seen === size + 3) socket.write(hash.digest("hex"));
        });
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) =>
        kind === "tcp" ? server.listen(0, "127.0.0.1", resolve) : server.listen(path, resolve)
      );
      let socket: TcpSocket | null = null;
      try {
        const digest = await new Promise<string>((resolve, reject) => {
          const buffer = new Uint8Array(size + 16);
          const listener: TcpListener = {
            onTcpOpen: (s) => {
              buffer.set(first, 0);
              s.writeTransient(buffer, size);
              buffer.fill(0xee); // the caller's next batch overwrites the buffer at once
              buffer.set(second, 0);
              s.writeTransient(buffer, 3); // queued behind the unfinished first write
              buffer.fill(0xdd);
            },
            onTcpData: (_s, bytes, length) => resolve(new TextDecoder().decode(bytes.subarray(0, length))),
            onTcpClose: (_s, error) => reject(error ?? new Error("closed early")),
          };
          socket = kind === "tcp"
            ? tcpConnect("127.0.0.1", (server.address() as net.AddressInfo).port, listener)
            : unixConnect(path, listener);
        });
        assert.equal(digest, expected);
      } finally {
        (socket as TcpSocket | null)?.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("reports a refused connection through onTcpClose, after tcpConnect returned", async () => {
    const server = await startServer(1, 1);
    const port = server.port;
    await server.close();
    let returned = false;
    const error = await new Promise<unknown>((resolve) => {
      tcpConnect("127.0.0.1", port, {
        onTcpOpen: () => resolve(new Error("opened")),
        onTcpData: () => {},
        onTcpClose: (_s, e) => {
          assert.ok(returned, "onTcpClose must not run inside tcpConnect");
          resolve(e);
        },
      });
      returned = true;
    });
    assert.equal(classifyError(error), ErrorKind.Refused);
  });

  it("on Deno on Linux, plain TCP to an IPv4 address goes over epoll (not Deno.connect)", async () => {
    const server = await startServer(1, 1);
    try {
      const { socket } = await exchange(server.port, new Uint8Array([1]), 1);
      const expected = denoHasEpoll() ? "EpollSocket" : socket.constructor.name;
      assert.equal(socket.constructor.name, expected);
      socket.close();
    } finally {
      await server.close();
    }
  });

  it("on Deno on Linux, a paced (open-model) load's plain TCP goes over Deno.connect, then epoll again", async () => {
    const epoll = denoHasEpoll();
    const server = await startServer(1, 1);
    try {
      preferSocketsForPacedLoad(true);
      const paced = (await exchange(server.port, new Uint8Array([1]), 1)).socket;
      preferSocketsForPacedLoad(false);
      const unpaced = (await exchange(server.port, new Uint8Array([1]), 1)).socket;
      if (epoll) {
        assert.equal(paced.constructor.name, "DenoTcpSocket");
        assert.equal(unpaced.constructor.name, "EpollSocket");
      } else {
        // One socket path only (Bun, Node, Deno elsewhere): the call changes nothing.
        assert.equal(paced.constructor.name, unpaced.constructor.name);
      }
      paced.close();
      unpaced.close();
    } finally {
      preferSocketsForPacedLoad(false);
      await server.close();
    }
  });

  it("the HTTP load worker tells its thread's sockets its model: open is paced, closed is not", async () => {
    const server = await startServer(1, 1);
    // The socket path a new plain TCP socket of this thread takes after a worker of `model` is made.
    const pathAfter = async (model: "open" | "closed"): Promise<string> => {
      new LoadWorker(testJob({ model, concurrency: 1, segments: [steady(1, 10)] }).job, () => {});
      const { socket } = await exchange(server.port, new Uint8Array([1]), 1);
      socket.close();
      return socket.constructor.name;
    };
    try {
      const open = await pathAfter("open");
      const closed = await pathAfter("closed");
      if (denoHasEpoll()) assert.deepEqual([open, closed], ["DenoTcpSocket", "EpollSocket"]);
      else assert.equal(open, closed);
    } finally {
      preferSocketsForPacedLoad(false);
      await server.close();
    }
  });

  it("LUNGE_DENO_SOCKETS=epoll|deno picks the socket path for a paced load too", async () => {
    const epoll = denoHasEpoll();
    const server = await startServer(1, 1);
    try {
      const args = helperArgs("socket_path_child.ts", server.port);
      const names: string[] = [];
      for (const choice of ["epoll", "deno"]) {
        const r = await runCommand(process.execPath, args, {
          cwd: ROOT,
          timeoutMs: 30_000,
          env: { LUNGE_DENO_SOCKETS: choice },
        });
        assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
        names.push(/socket (\w+)/.exec(r.stdout)?.[1] ?? r.stdout);
      }
      if (epoll) assert.deepEqual(names, ["EpollSocket", "DenoTcpSocket"]);
      else assert.equal(names[0], names[1]); // a single socket path there: the variable changes nothing
    } finally {
      await server.close();
    }
  });

  it("a process ends as soon as its last socket closed (Deno: the close wakes the epoll wait)", async () => {
    const server = await startServer(1, 1);
    try {
      const args = helperArgs("tcp_close_child.ts", server.port);
      const r = await runCommand(process.execPath, args, { cwd: ROOT, timeoutMs: 30_000 });
      const exitedAt = Date.now();
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      const closedAt = Number(/closed ([\d.]+)/.exec(r.stdout)?.[1]);
      // The wait on the helper thread lasts up to 5 s when nothing wakes it.
      assert.ok(exitedAt - closedAt < 2500, `exited ${(exitedAt - closedAt).toFixed(0)} ms after the close`);
    } finally {
      await server.close();
    }
  });

  it("reports the peer's close as a close without an error", async () => {
    const server = net.createServer((s) => s.end("bye"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const outcome = await new Promise<{ data: number; error: unknown }>((resolve) => {
        let data = 0;
        tcpConnect("127.0.0.1", port, {
          onTcpOpen: () => {},
          onTcpData: (_s, _b, length) => data += length,
          onTcpClose: (_s, error) => resolve({ data, error }),
        });
      });
      assert.equal(outcome.data, 3);
      assert.equal(outcome.error, undefined);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
