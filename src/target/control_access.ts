/**
 * Who may use the target's control routes (`/__lunge/*`): on a loopback bind
 * anyone local; on any other bind nobody, unless a control token is set, in
 * which case every control request must carry `Authorization: Bearer TOKEN`
 * (on every bind).
 *
 * @module
 */

/** Prefix of the control routes. */
export const CONTROL_PREFIX = "/__lunge/";

/**
 * Whether `hostname` names a loopback interface (`localhost`, `127.0.0.0/8`, `::1`).
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./control_access.ts";
 * console.log(isLoopbackHost("127.0.0.1"), isLoopbackHost("0.0.0.0")); // true false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1" || /^127\.\d+\.\d+\.\d+$/.test(h) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}

/** Compares two strings in time that depends on their lengths only. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}

/**
 * A gate for control requests: returns `null` to let one through, or the
 * response that refuses it (`401` without the right bearer token, `403` on a
 * non-loopback bind without a token).
 *
 * @example
 * ```ts
 * import { controlGate } from "./control_access.ts";
 * const gate = controlGate({ bindHostname: "0.0.0.0", controlToken: "s3cret" });
 * const refused = gate(new Request("http://h/__lunge/stats"));
 * console.log(refused?.status); // 401
 * const allowed = gate(new Request("http://h/__lunge/stats", { headers: { authorization: "Bearer s3cret" } }));
 * console.log(allowed); // null
 * ```
 */
export function controlGate(options: { bindHostname?: string; controlToken?: string }): (
  request: Request,
) => Response | null {
  const token = options.controlToken ?? "";
  const loopback = options.bindHostname === undefined || isLoopbackHost(options.bindHostname);
  if (token === "") {
    if (loopback) return () => null;
    const refusal = "control routes are served on loopback binds only; set --control-token (or " +
      "LUNGE_CONTROL_TOKEN) to use them on this address\n";
    return () => new Response(refusal, { status: 403 });
  }
  const expected = `Bearer ${token}`;
  return (request) => {
    if (sameText(request.headers.get("authorization") ?? "", expected)) return null;
    return new Response("control routes need 'Authorization: Bearer <token>'\n", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="lunge"' },
    });
  };
}
