// A gRPC scenario: the four kinds of call against examples/grpc/echo.proto, each measured under its name
// and counted by gRPC status.
//   lunge run examples/grpc/scenario.ts --env GRPC_URL=grpc://127.0.0.1:50051 -d 10s
import type { ScenarioContext, ScenarioOptions } from "../../mod.ts";

export const options: ScenarioOptions = {
  vus: 4,
  duration: "5s",
  thresholds: ["grpc_errors<1%", "say.p99<50ms", "status_UNAVAILABLE==0"],
};

export default async function (ctx: ScenarioContext): Promise<void> {
  const echo = await ctx.grpc.connect(ctx.env.GRPC_URL ?? "grpc://127.0.0.1:50051", {
    proto: "examples/grpc/echo.proto",
  });
  // Unary.
  const say = await echo.invoke("lunge.echo.Echo/Say", { name: `vu${ctx.vu.id}` }, { name: "say" });
  ctx.check(say, {
    "say is OK": (r) => r.ok,
    "says hello": (r) => r.message?.message === `hello vu${ctx.vu.id}`,
  });
  // Server streaming: three answers.
  const count = await echo.serverStream("lunge.echo.Echo/Count", { name: "n", count: 3 }, { name: "count" });
  ctx.check(count, { "three messages": (r) => r.messages.length === 3 });
  // Client streaming: the server counts what it got.
  const collect = await echo.clientStream("lunge.echo.Echo/Collect", [{ name: "a" }, { name: "b" }], {
    name: "collect",
  });
  ctx.check(collect, { "two received": (r) => r.message?.received === 2 });
  // Bidirectional: send, read the answers as they come, end.
  const chat = echo.bidi("lunge.echo.Echo/Chat", { name: "chat" });
  let answers = 0;
  chat.onMessage = () => void answers++;
  chat.send({ name: "x" });
  chat.send({ name: "y" });
  chat.end();
  const done = await chat.response;
  ctx.check(done, { "chat answered twice": (r) => r.ok && r.messages.length === 2 && answers === 2 });
}
