/**
 * Stream chat completions from an OpenAI-compatible endpoint (the built-in
 * target's `POST /v1/chat/completions`) and read the tokens as they arrive:
 * time to first token, inter-token latency, tokens per second and output
 * tokens are recorded under the step's name ("chat") and run-wide.
 *
 *   lunge run examples/llm_stream.ts builtin
 *   lunge run examples/llm_stream.ts http://127.0.0.1:8000 -c 8 -d 1m --timeout 60s
 *
 * (Against the built-in target, `?first=` and `?interval=` set the first-token delay and the pace.)
 */
import type { ScenarioContext, ScenarioOptions } from "../mod.ts";

export const options: ScenarioOptions = {
  vus: 4,
  duration: "5s",
  thresholds: ["ttft_p99<500ms", "itl_p99<50ms", "chat.errors<1%"],
};

export default async function (ctx: ScenarioContext): Promise<void> {
  const stream = ctx.http.stream("/v1/chat/completions?first=80&interval=10", {
    json: {
      model: "lunge-echo",
      stream: true,
      max_tokens: 32,
      messages: [{ role: "user", content: "Say something." }],
    },
    name: "chat",
  });
  let text = "";
  for await (const event of stream) {
    if (event.data === "[DONE]") break;
    const chunk = JSON.parse(event.data) as { choices: Array<{ delta?: { content?: string } }> };
    text += chunk.choices[0]?.delta?.content ?? "";
  }
  const result = await stream.result;
  ctx.check(result, {
    "status is 200": (r) => r.status === 200,
    "ended with [DONE]": (r) => r.done,
    "32 tokens": (r) => r.outputTokens === 32 && text.split(" ").length === 33,
  });
}
