/**
 * HTTP load clients in their own thread, so the server's event loop is not also driving the
 * clients (as with autocannon in another process). The parent posts
 * `{ base, headers, clients, requests: [{ method, path, body, want }] }`; the worker runs the
 * requests on `clients` concurrent loops and posts back `{ ms, latencies, results, error }`
 * (results[i] is the parsed JSON of request i).
 */
import { parentPort, workerData } from 'node:worker_threads';

const { base, headers, clients, requests } = workerData;
const latencies = [];
const results = new Array(requests.length);
let next = 0;
let error = null;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    for (;;) {
      const i = next++;
      if (i >= requests.length || error) return;
      const r = requests[i];
      const s = performance.now();
      const res = await fetch(base + r.path, { method: r.method, headers, body: JSON.stringify(r.body) });
      const json = await res.json();
      latencies.push(performance.now() - s);
      if (res.status !== r.want) error = `${r.path} → ${res.status} ${json.code}: ${json.message}`;
      results[i] = json;
    }
  }),
);
parentPort.postMessage({ ms: performance.now() - t0, latencies, results, error });
