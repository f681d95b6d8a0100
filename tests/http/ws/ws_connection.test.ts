/**
 * The WebSocket client connection against raw `node:net` servers: the codec
 * (SHA-1, UTF-8, masking), the handshake checks, fragmentation, ping/pong, the
 * close handshake, and every malformed server ending the connection with a
 * `protocol` end that names the cause.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Socket } from "node:net";
import { sha1 } from "../../../src/http/ws/sha1.ts";
import { Utf8Validator } from "../../../src/http/ws/utf8_validator.ts";
import { encodeFrame, frameLength, Opcode } from "../../../src/http/ws/frame_writer.ts";
import { acceptFor } from "../../../src/http/ws/handshake.ts";
import { WsConnection, WsEnd, wsEndpoint } from "../../../src/http/ws/ws_connection.ts";
import {
  clientFrames,
  good101,
  serverFrame,
  startWsScriptServer,
  type WsScript,
} from "../../_helpers/ws_script_server.ts";

interface Ended {
  end: number;
  detail: string;
  status: number;
  code: number;
  messages: Array<{ binary: boolean; length: number; text: string }>;
  conn: WsConnection;
}

/** Opens one connection to a scripted server, sends `send` once open, resolves at its end. */
async function runAgainst(
  script: WsScript,
  opts: { send?: string; closeAfterMessages?: number; settleMs?: number; headers?: Record<string, string> } =
    {},
): Promise<Ended> {
  const server = await startWsScriptServer(script);
  try {
    return await new Promise<Ended>((resolve, reject) => {
      const messages: Ended["messages"] = [];
      const timer = setTimeout(() => reject(new Error("no end within 5 s")), 5000);
      const conn = new WsConnection(wsEndpoint(server.url, opts.headers ?? {}, null), {
        onWsOpen: (c) => {
          if (opts.send !== undefined) c.send(new TextEncoder().encode(opts.send), false);
        },
        onWsMessage: (c, binary, length, payload) => {
          messages.push({ binary, length, text: payload === null ? "" : new TextDecoder().decode(payload) });
          if (opts.closeAfterMessages === messages.length) c.close(1000);
        },
        onWsEnd: (c, end, detail, status, code) => {
          clearTimeout(timer);
          resolve({ end, detail, status, code, messages, conn: c });
        },
      }, { maxMessageBytes: 1024, keepPayloads: true, closeTimeoutMs: 2000 });
      conn.open();
    });
  } finally {
    if (opts.settleMs !== undefined) await new Promise((resolve) => setTimeout(resolve, opts.settleMs));
    await server.close();
  }
}

/** A script that answers the handshake, then writes `bytes` at once. */
function writes(...frames: Buffer[]): WsScript {
  return { onOpen: (s: Socket) => s.write(Buffer.concat(frames)) };
}

describe("WebSocket codec", () => {
  it("SHA-1 agrees with node:crypto, and the accept value with RFC 6455's example", () => {
    for (const text of ["", "abc", "x".repeat(55), "y".repeat(56), "z".repeat(64), "w".repeat(200)]) {
      const ours = Buffer.from(sha1(new TextEncoder().encode(text))).toString("hex");
      assert.equal(ours, createHash("sha1").update(text).digest("hex"), `length ${text.length}`);
    }
    assert.equal(acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("UTF-8 validation: valid text in pieces, overlongs, surrogates and truncations refused", () => {
    const ok = new TextEncoder().encode("añ€😀");
    const v = new Utf8Validator();
    for (let i = 0; i < ok.length; i++) v.feed(ok, i, i + 1);
    assert.equal(v.complete, true);
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0x80]]) {
      const w = new Utf8Validator();
      assert.equal(w.feed(new Uint8Array(bad), 0, bad.length), false, bad.join(","));
    }
    const cut = new Utf8Validator();
    cut.feed(new Uint8Array([0xe2, 0x82]), 0, 2);
    assert.equal(cut.valid, true);
    assert.equal(cut.complete, false);
  });

  it("client frames are masked with a fresh key and unmask to the payload (7, 16 and 64-bit lengths)", () => {
    for (const size of [0, 1, 5, 125, 126, 65535, 65536, 70_001]) {
      const payload = new Uint8Array(size).map((_, i) => i * 7);
      const out = new Uint8Array(frameLength(size));
      assert.equal(encodeFrame(out, Opcode.Binary, payload, size), out.length);
      const [[opcode, back]] = clientFrames(Buffer.from(out));
      assert.equal(opcode, Opcode.Binary);
      assert.deepEqual(new Uint8Array(back), payload, `size ${size}`);
    }
    const a = new Uint8Array(frameLength(4)), b = new Uint8Array(frameLength(4));
    encodeFrame(a, Opcode.Text, new Uint8Array(4), 4);
    encodeFrame(b, Opcode.Text, new Uint8Array(4), 4);
    assert.notDeepEqual(a.subarray(2, 6), b.subarray(2, 6), "two frames, two masking keys");
  });
});

describe("WebSocket connection against raw servers", () => {
  it("echo, fragmentation with a ping between fragments (answered), then the close handshake", async () => {
    const pongs: string[] = [];
    const r = await runAgainst({
      onData: (s, data) => {
        for (const [opcode, payload] of clientFrames(data)) {
          if (opcode === Opcode.Text) {
            s.write(Buffer.concat([
              serverFrame(0x01, payload.subarray(0, 2)),
              serverFrame(0x89, "are you there"),
              serverFrame(0x00, payload.subarray(2, 4)),
              serverFrame(0x80, payload.subarray(4)),
            ]));
          } else if (opcode === Opcode.Pong) pongs.push(payload.toString());
          else if (opcode === Opcode.Close) s.write(serverFrame(0x88, payload));
        }
      },
    }, { send: "hello wörld", closeAfterMessages: 1 });
    assert.equal(r.end, WsEnd.Closed);
    assert.equal(r.code, 1000);
    assert.deepEqual(r.messages, [{ binary: false, length: 12, text: "hello wörld" }]);
    assert.deepEqual(pongs, ["are you there"]);
    assert.equal(r.conn.messagesSent, 1);
    assert.equal(r.conn.messagesReceived, 1);
    assert.equal(r.conn.bytesReceived, 12);
  });

  it("a ping and a close split across reads are read whole (the pong carries the whole payload)", async () => {
    const pongs: string[] = [];
    const ping = serverFrame(0x89, "split ping payload");
    const close = serverFrame(0x88, Buffer.from([0x0f, 0xa0, 0x78]));
    const r = await runAgainst({
      onOpen: (s) => {
        s.write(ping.subarray(0, 1));
        setTimeout(() => s.write(ping.subarray(1, 7)), 20);
        setTimeout(() => s.write(Buffer.concat([ping.subarray(7), close.subarray(0, 3)])), 40);
        setTimeout(() => s.write(close.subarray(3)), 60);
      },
      onData: (_s, data) => {
        for (const [opcode, payload] of clientFrames(data)) {
          if (opcode === Opcode.Pong) pongs.push(payload.toString());
        }
      },
    }, { settleMs: 50 });
    assert.equal(r.end, WsEnd.PeerClosed);
    assert.equal(r.code, 4000);
    assert.match(r.detail, /4000 \(x\)/);
    assert.deepEqual(pongs, ["split ping payload"]);
  });

  it("a close started by the server is answered with its code and reported as closed by the peer", async () => {
    let answered = -1;
    const r = await runAgainst({
      onOpen: (s) => s.write(serverFrame(0x88, Buffer.from([0x03, 0xe9, 0x62, 0x79, 0x65]))),
      onData: (_s, data) => {
        for (const [opcode, payload] of clientFrames(data)) {
          if (opcode === Opcode.Close) answered = payload.readUInt16BE(0);
        }
      },
    }, { settleMs: 100 });
    assert.equal(r.end, WsEnd.PeerClosed);
    assert.equal(r.code, 1001);
    assert.match(r.detail, /closed by the server with code 1001 \(bye\)/);
    assert.equal(answered, 1001);
  });

  const malformed: Array<[string, WsScript, RegExp]> = [
    [
      "a masked frame",
      writes(Buffer.from([0x81, 0x82, 1, 2, 3, 4, 0x69, 0x6b])),
      /masked frame from the server/,
    ],
    ["reserved bits", writes(serverFrame(0xc1, "hi")), /reserved bits set/],
    [
      "a control frame over 125 bytes",
      writes(serverFrame(0x89, "x".repeat(126))),
      /control frame payload over 125/,
    ],
    ["a fragmented control frame", writes(serverFrame(0x09, "x")), /fragmented control frame/],
    ["a bad close code", writes(serverFrame(0x88, Buffer.from([0x03, 0xed]))), /invalid close code 1005/],
    [
      "a 1-byte close payload",
      writes(serverFrame(0x88, Buffer.from([0x03]))),
      /close frame with a 1-byte payload/,
    ],
    [
      "invalid UTF-8 in a text frame",
      writes(serverFrame(0x81, Buffer.from([0x68, 0xc0, 0xaf]))),
      /invalid UTF-8/,
    ],
    [
      "invalid UTF-8 split over fragments",
      writes(serverFrame(0x01, Buffer.from([0xe2])), serverFrame(0x80, Buffer.from([0x28]))),
      /invalid UTF-8/,
    ],
    [
      "text ending mid code point",
      writes(serverFrame(0x81, Buffer.from([0x68, 0xe2, 0x82]))),
      /invalid UTF-8/,
    ],
    ["an unknown opcode", writes(serverFrame(0x83, "x")), /unknown opcode 0x3/],
    ["an unknown control opcode", writes(serverFrame(0x8b, "x")), /unknown opcode 0xb/],
    ["a continuation with no message", writes(serverFrame(0x80, "x")), /continuation frame with no message/],
    [
      "a new message inside a fragmented one",
      writes(serverFrame(0x01, "a"), serverFrame(0x81, "b")),
      /new data frame before/,
    ],
    [
      "a message over the size limit",
      writes(serverFrame(0x82, new Uint8Array(2000))),
      /over the limit of 1024/,
    ],
    [
      "a truncated frame",
      { onOpen: (s) => s.end(Buffer.from([0x81, 0x05, 0x68])) },
      /truncated frame/,
    ],
  ];
  for (const [name, script, cause] of malformed) {
    it(`${name}: a protocol end naming the cause`, async () => {
      const r = await runAgainst(script);
      assert.equal(r.end, WsEnd.Protocol, r.detail);
      assert.match(r.detail, cause);
    });
  }

  it("a handshake answered 200 is refused with its status", async () => {
    const r = await runAgainst({ handshake: () => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" });
    assert.equal(r.end, WsEnd.HandshakeRefused);
    assert.equal(r.status, 200);
    assert.match(r.detail, /handshake refused: HTTP 200 instead of 101/);
  });

  it("a wrong Sec-WebSocket-Accept is refused by name", async () => {
    const r = await runAgainst({ handshake: () => good101("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") });
    assert.equal(r.end, WsEnd.HandshakeRefused);
    assert.equal(r.status, 101);
    assert.match(r.detail, /wrong Sec-WebSocket-Accept/);
  });

  it("an extension that was not offered is refused", async () => {
    const r = await runAgainst({
      handshake: (accept) =>
        good101(accept).replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
    });
    assert.equal(r.end, WsEnd.HandshakeRefused);
    assert.match(r.detail, /extension "permessage-deflate" that was not offered/);
  });

  it("a subprotocol is accepted when offered (-H Sec-WebSocket-Protocol), refused otherwise", async () => {
    const withChat = (accept: string) =>
      good101(accept).replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: chat\r\n\r\n");
    const script = {
      handshake: withChat,
      onOpen: (s: Socket) => s.end(serverFrame(0x88, Buffer.from([0x03, 0xe8]))),
    };
    const refused = await runAgainst(script);
    assert.equal(refused.end, WsEnd.HandshakeRefused);
    assert.match(refused.detail, /subprotocol "chat" that was not offered/);
    const accepted = await runAgainst(script, { headers: { "Sec-WebSocket-Protocol": "superchat, chat" } });
    assert.equal(accepted.end, WsEnd.PeerClosed);
    assert.equal(accepted.code, 1000);
  });

  it("a socket closed without a close frame is a close by the peer (1006)", async () => {
    const r = await runAgainst({ onOpen: (s) => s.end(serverFrame(0x81, "bye")) });
    assert.equal(r.end, WsEnd.PeerClosed);
    assert.equal(r.code, 1006);
    assert.equal(r.messages.length, 1);
  });
});
