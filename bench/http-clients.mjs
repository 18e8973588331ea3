/**
 * HTTP load clients in their own thread, so the server's event loop is not also driving the
 * clients (as with autocannon in another process). The parent posts
 * `{ base, headers, clients, requests: [{ method, path, body, want }] }`; the worker runs the
 * requests on `clients` concurrent loops and posts back `{ ms, latencies, results, error }`
 * (results[i] is the parsed JSON of request i). With `durationMs` the requests are cycled
 * until that time has passed (results are then not kept).
 */
import { parentPort, workerData } from 'node:worker_threads';

const { base, headers, clients, requests, durationMs } = workerData;
const latencies = [];
const results = durationMs ? [] : new Array(requests.length);
let next = 0;
let error = null;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    for (;;) {
      const i = next++;
      if (error) return;
      if (durationMs ? performance.now() - t0 >= durationMs : i >= requests.length) return;
      const r = requests[i % requests.length];
      const s = performance.now();
      const res = await fetch(base + r.path, { method: r.method, headers, body: r.method === 'GET' ? undefined : JSON.stringify(r.body) });
      const json = await res.json();
      latencies.push(performance.now() - s);
      if (res.status !== r.want) error = `${r.path} → ${res.status} ${json.code}: ${json.message}`;
      if (!durationMs) results[i] = json;
    }
  }),
);
parentPort.postMessage({ ms: performance.now() - t0, latencies, results, error, count: latencies.length });
