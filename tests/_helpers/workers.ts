/** Starts test workers and waits for each to report "done". */
export async function runWorkers(count: number, message: (index: number) => unknown): Promise<void> {
  const url = new URL("./record_worker.ts", import.meta.url);
  const workers = Array.from({ length: count }, () => new Worker(url, { type: "module" }));
  try {
    await Promise.all(workers.map((w, i) =>
      new Promise<void>((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (e) => {
          e.preventDefault?.();
          reject(new Error(`worker ${i} failed: ${e.message}`));
        };
        w.postMessage(message(i));
      })
    ));
  } finally {
    for (const w of workers) w.terminate();
  }
}
