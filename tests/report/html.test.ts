import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderHtml } from "../../src/report/_html.ts";
import { closedRunResult, openRunResult, refusedRunResult } from "../fixtures/run_result.ts";

function charts(html: string): string[] {
  return [...html.matchAll(/<svg\b[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);
}

describe("renderHtml", () => {
  it("is one document with three inline SVG charts and the summary tables", () => {
    const result = openRunResult();
    const html = renderHtml(result);
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(html, /<\/html>\n$/);
    assert.equal((html.match(/<svg\b/g) ?? []).length, 3);
    assert.deepEqual(charts(html), ["rps", "latency", "distribution"]);
    // rps and the three percentiles are drawn, and the target rate in the open model.
    for (const series of ["achieved req/s", "target rate", "p50", "p95", "p99"]) {
      assert.match(html, new RegExp(`<polyline class="series" data-series="${series.replace("/", "\\/")}"`));
    }
    assert.ok((html.match(/<rect class="bar"/g) ?? []).length >= 10, "distribution has bars");
    assert.match(html, /<th class="num">corrected<\/th><th class="num">service time<\/th>/);
    assert.match(html, /<td>p99\.9<\/td><td class="num">973\.1ms<\/td><td class="num">9\.630ms<\/td>/);
    assert.match(html, /29,940/);
    assert.match(html, /p99&lt;50ms<\/td><td class="num">702\.1ms<\/td><td class="bad">✗ failed/);
    assert.doesNotMatch(html, /INTERRUPTED|refused connections/);
  });

  it("loads nothing from the network and runs no script", () => {
    for (const result of [openRunResult(), closedRunResult(), refusedRunResult()]) {
      const html = renderHtml(result);
      assert.doesNotMatch(html, /\b(src|href|xlink:href|action|poster|srcset)\s*=/i);
      assert.doesNotMatch(html, /url\s*\(|@import|<script|<link|<iframe|<img|<object|<embed/i);
      // The only URL in the page is the target's, as text.
      const urls = html.match(/https?:\/\/[^\s<"&]+/g) ?? [];
      assert.ok(urls.every((u) => u.startsWith(result.target.url.slice(0, 16))), urls.join(", "));
      assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    }
  });

  it("escapes user text: a malicious URL becomes inert text", () => {
    const result = openRunResult();
    result.target.url = `http://x/"><script>alert(1)</script><img src=x onerror=alert(2)>`;
    result.target.method = "<b>GET</b>";
    result.thresholds[0].expression = `p99<50ms"><svg onload=alert(3)>`;
    const html = renderHtml(result);
    // Only the escaped forms remain: no tag or attribute came through.
    assert.doesNotMatch(html, /<script|<img|<b>|<svg onload|"\s*onerror=/i);
    assert.match(html, /http:\/\/x\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;b&gt;GET&lt;\/b&gt;/);
    assert.equal((html.match(/<svg\b/g) ?? []).length, 3);
  });

  it("shows one latency column in the closed model and banners for refused/interrupted runs", () => {
    const closed = renderHtml(closedRunResult());
    assert.doesNotMatch(closed, /service time|target rate/);
    assert.equal((closed.match(/<svg\b/g) ?? []).length, 3);

    const refused = renderHtml(refusedRunResult());
    assert.match(refused, /<div class="banner interrupted">INTERRUPTED: partial result<\/div>/);
    assert.match(refused, /target refused connections: is it running at http:\/\/127\.0\.0\.1:9\/\?/);
    // No time series, no histogram: the charts still exist and say so.
    assert.equal((refused.match(/<svg\b/g) ?? []).length, 3);
    assert.equal((refused.match(/>no data</g) ?? []).length, 3);
  });

  it("draws no bars from a histogram of an unknown layout", () => {
    const result = openRunResult();
    result.histogram.encoding = "someone-else-v9";
    const html = renderHtml(result);
    assert.equal((html.match(/<rect class="bar"/g) ?? []).length, 0);
  });
});
