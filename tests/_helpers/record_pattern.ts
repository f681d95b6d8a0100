/** The deterministic record pattern that test workers write and tests expect. */
export interface PatternRecord {
  status: number;
  durationMs: number;
  bytes: number;
  errorKind: number;
}

const STATUSES = [200, 200, 200, 201, 404, 500, 503, 599, 302, 200];

/** Record `i` of worker `w`: statuses cycle, every 97th is a refused connection. */
export function expectedRecord(w: number, i: number): PatternRecord {
  if ((i + w) % 97 === 0) return { status: 0, durationMs: 0.5, bytes: 0, errorKind: 2 };
  return {
    status: STATUSES[(i + w) % STATUSES.length],
    durationMs: 0.05 + ((i * 7 + w * 13) % 1000) / 10,
    bytes: (i % 17) * 100 + w,
    errorKind: 0,
  };
}

/** Expected totals for `workers` × `records`. */
export function expectedTotals(workers: number, records: number): {
  total: number;
  bytes: number;
  byStatus: Map<number, number>;
  refused: number;
} {
  const byStatus = new Map<number, number>();
  let bytes = 0;
  let refused = 0;
  for (let w = 0; w < workers; w++) {
    for (let i = 0; i < records; i++) {
      const r = expectedRecord(w, i);
      bytes += r.bytes;
      if (r.errorKind !== 0) refused++;
      else byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    }
  }
  return { total: workers * records, bytes, byStatus, refused };
}
