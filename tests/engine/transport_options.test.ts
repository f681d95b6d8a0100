import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { normalizeConnectOptions } from "../../src/engine/normalize_transport.ts";
import { normalizeRunOptions } from "../../src/engine/_normalize.ts";
import { RunOptionsError } from "../../src/engine/options.ts";
import { parseConnectTo, resolveConnectTo } from "../../src/http/connect_to.ts";
import { toTlsError } from "../../src/runtime/tls_error.ts";
import { classifyError } from "../../src/http/errors.ts";
import { errorMessage } from "../../src/http/failure_message.ts";
import { ErrorKind } from "../../src/collector/types.ts";

const PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
const files = (
  path: string,
): string | null => (path.endsWith(".pem") ? PEM : path.endsWith(".txt") ? "hello" : null);

describe("run options for TLS, --connect-to and unix sockets", () => {
  it("reads certificate files once and passes PEM text on", () => {
    const connect = normalizeConnectOptions({
      url: "https://example.com/",
      insecure: true,
      cacert: "ca.pem",
      cert: "c.pem",
      key: "k.pem",
      servername: "api.example.com",
      connectTo: ["example.com:443:127.0.0.1:8443"],
    }, files);
    assert.deepEqual(connect, {
      tls: { insecure: true, ca: [PEM], cert: PEM, key: PEM, servername: "api.example.com" },
      connectTo: ["example.com:443:127.0.0.1:8443"],
    });
    assert.deepEqual(normalizeConnectOptions({ url: "http://x/" }, files), {});
  });

  it("names the option in every error", () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ cacert: "missing.crt" }, /Cannot start run: "cacert": cannot read file "missing.crt"/],
      [{ cacert: "note.txt" }, /"cacert": "note.txt" is not a PEM file/],
      [{ cert: "c.pem" }, /"cert" needs "key"/],
      [{ key: "k.pem" }, /"key" needs "cert"/],
      [{ insecure: "yes" }, /"insecure" must be a boolean/],
      [{ servername: "a b" }, /"servername" must be a host name/],
      [{ connectTo: ["nope"] }, /"connectTo" must be HOST:PORT:TARGET_HOST:TARGET_PORT/],
      [{ unixSocket: "" }, /"unixSocket" must be a socket path/],
      [{ unixSocket: "/s", url: "https://x/" }, /"unixSocket" carries http:\/\/ URLs only/],
      [{ insecure: true, transport: "fetch" }, /"transport" fetch cannot use TLS options/],
    ];
    for (const [options, message] of bad) {
      assert.throws(() => normalizeConnectOptions({ url: "https://x/", ...options }, files), message);
    }
    assert.throws(
      () => normalizeRunOptions({ url: "https://x/", cacert: "/nonexistent/ca.pem" }),
      (e: unknown) => e instanceof RunOptionsError && e.option === "cacert",
    );
  });

  it("--connect-to rules match like curl's", () => {
    assert.equal(parseConnectTo("a:b:c:d"), null);
    assert.equal(parseConnectTo("a:1:b"), null);
    assert.equal(parseConnectTo("a:70000:b:1"), null);
    const rules = ["other:80:x:1", "Example.COM::[::1]:", ":443:10.0.0.1:8443"].map((r) =>
      parseConnectTo(r)!
    );
    assert.deepEqual(resolveConnectTo(rules, "example.com", 8080), { hostname: "::1", port: 8080 });
    assert.deepEqual(resolveConnectTo(rules, "api.test", 443), { hostname: "10.0.0.1", port: 8443 });
    assert.deepEqual(resolveConnectTo(rules, "api.test", 80), { hostname: "api.test", port: 80 });
  });

  it("TLS failures read like curl's and classify as tls", () => {
    const bun = toTlsError(
      Object.assign(new Error("self signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
    );
    assert.equal(bun.message, "certificate verify failed: self-signed certificate");
    const deno = toTlsError(
      Object.assign(new Error("invalid peer certificate: UnknownIssuer"), { name: "InvalidData" }),
    );
    assert.match(deno.message, /^certificate verify failed: unknown issuer/);
    for (const error of [bun, deno]) {
      assert.equal(classifyError(error), ErrorKind.Tls);
      assert.equal(errorMessage(error), error.message);
    }
  });
});
