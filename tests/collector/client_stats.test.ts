import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ClientStatsTable } from "../../src/collector/client_stats.ts";

describe("ClientStatsTable (per-client stats)", () => {
  it("counts requests, errors by status 400-599 plus other, reconnections and timeouts", () => {
    const table = ClientStatsTable.create(4);
    const a = table.addClient();
    const b = table.addClient();
    a.recordResponse(200);
    a.recordResponse(404);
    a.recordResponse(599);
    b.recordResponse(302);
    b.recordResponse(503);
    b.recordTransportError(true);
    b.recordTransportError(false);
    a.recordReconnects(2);
    const s = table.aggregate();
    assert.equal(s.clients, 2);
    assert.equal(s.requests, 7);
    assert.equal(s.errors, 5);
    assert.equal(s.timeouts, 1);
    assert.equal(s.reconnections, 2);
    assert.deepEqual(s.errorsByStatus, { "404": 1, "503": 1, "599": 1, other: 2 });
  });

  it("adds and removes clients while others record; removed clients stay in the totals", () => {
    const table = ClientStatsTable.create(3);
    const a = table.addClient();
    a.recordResponse(200);
    assert.equal(table.activeClients(), 1);
    const view = ClientStatsTable.attach(table.handle()); // as a worker would
    const b = view.addClient();
    b.recordResponse(500);
    assert.equal(table.activeClients(), 2);
    a.remove();
    assert.equal(table.activeClients(), 1);
    const s = table.aggregate();
    assert.equal(s.requests, 2);
    assert.equal(s.errorsByStatus["500"], 1);
  });

  it("refuses a client past its capacity with a RangeError", () => {
    const table = ClientStatsTable.create(1);
    table.addClient();
    assert.throws(() => table.addClient(), /all 1 client slots are taken/);
    assert.throws(() => ClientStatsTable.create(0), RangeError);
  });

  it("keeps errors by status per writing thread: each view claims its own block, the totals add them", () => {
    const table = ClientStatsTable.create(8);
    const views = [table, ClientStatsTable.attach(table.handle()), ClientStatsTable.attach(table.handle())];
    for (const [i, view] of views.entries()) {
      const client = view.addClient();
      client.recordResponse(404);
      for (let k = 0; k <= i; k++) client.recordResponse(503);
      client.recordTransportError(false);
      view.addClient().recordResponse(404); // a second client of the same thread shares the block
    }
    const s = table.aggregate();
    assert.equal(s.clients, 6);
    assert.equal(s.requests, 3 * 3 + 3 + 3);
    assert.deepEqual(s.errorsByStatus, { "404": 6, "503": 6, other: 3 });
  });

  it("refuses a writing thread past the 512th with a RangeError (no two threads share a block)", () => {
    const table = ClientStatsTable.create(600);
    for (let i = 0; i < 512; i++) ClientStatsTable.attach(table.handle()).addClient();
    assert.throws(() => ClientStatsTable.attach(table.handle()).addClient(), /more than 512 threads/);
    assert.equal(table.aggregate().clients, 512, "the refused client took no slot");
  });
});
