/**
 * A WebSocket scenario: each iteration opens a socket, sends three messages
 * and waits for each echo (a round trip per `next()`), checks them, and
 * closes with the close handshake. Steps are timed per name: `chat connect`
 * (the handshake) and `chat message` (each round trip).
 *
 *   lunge run examples/websocket_chat.ts builtin          # the built-in target's /ws/echo
 *   lunge run examples/websocket_chat.ts http://host:port # any echo server at /ws/echo
 *
 * For a plain message loop without a scenario:
 *
 *   lunge run ws://host:port/ws/echo --message 'hello {{seq}}' -c 50 -d 30s
 */
import type { ScenarioContext, ScenarioOptions } from "../mod.ts";

export const options: ScenarioOptions = {
  vus: 5,
  duration: "5s",
  thresholds: ["chat message.p99<100ms", "chat connect.p99<500ms", "checks>99%"],
};

export default async function (ctx: ScenarioContext): Promise<void> {
  const socket = await ctx.ws.connect("/ws/echo", { name: "chat" });
  try {
    for (let i = 0; i < 3; i++) {
      const text = `hello ${ctx.vu.id}.${ctx.vu.iteration}.${i}`;
      socket.send(text);
      const reply = await socket.next({ timeout: 2000 });
      ctx.check(reply, { "echoed": (m) => m.text() === text });
    }
  } finally {
    await socket.close(1000);
  }
}
