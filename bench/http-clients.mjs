/**
 * HTTP load clients in their own thread, so the server's event loop is not also driving the
 * clients (as with autocannon in another process). The parent posts
 * `{ base, headers, clients, requests: [{ method, path, body, want }] }`; the worker runs the
 * requests on `clients` concurrent loops (one kept-alive connection each) and posts back
 * `{ ms, latencies, results, error }` (results[i] is the parsed JSON of request i). With
 * `durationMs` the requests are cycled until that time has passed; results are then not kept,
 * and an answer's body is read to its end but neither decompressed nor parsed unless its status
 * is not the one wanted — as autocannon does: on this 2-core machine a client that gunzips and
 * parses every 100 kB viewport takes CPU from the server it measures.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';

const { base, headers, clients, requests, durationMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const latencies = [];
const results = durationMs ? [] : new Array(requests.length);
let next = 0;
let error = null;

/** One request: its status and its body's bytes (decompressed when it was). */
function send(r) {
  return new Promise((resolve, reject) => {
    const body = r.method === 'GET' ? undefined : JSON.stringify(r.body);
    const req = http.request(base + r.path, { method: r.method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, encoding: res.headers['content-encoding'], chunks }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The answer's JSON (only when it is read: results, or an unexpected status). */
function json(a) {
  const raw = Buffer.concat(a.chunks);
  const text = a.encoding === 'gzip' ? zlib.gunzipSync(raw) : a.encoding === 'br' ? zlib.brotliDecompressSync(raw) : a.encoding === 'deflate' ? zlib.inflateSync(raw) : raw;
  try {
    return JSON.parse(text.toString('utf8'));
  } catch {
    return { code: 'NOT_JSON', message: text.toString('utf8').slice(0, 200) };
  }
}

const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    for (;;) {
      const i = next++;
      if (error) return;
      if (durationMs ? performance.now() - t0 >= durationMs : i >= requests.length) return;
      const r = requests[i % requests.length];
      const s = performance.now();
      const a = await send(r);
      latencies.push(performance.now() - s);
      if (a.status !== r.want) {
        const j = json(a);
        error = `${r.path} → ${a.status} ${j.code}: ${j.message}`;
      } else if (!durationMs) {
        results[i] = json(a);
      }
    }
  }),
);
agent.destroy();
parentPort.postMessage({ ms: performance.now() - t0, latencies, results, error, count: latencies.length });
