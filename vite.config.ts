import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The web client: sources in `client/`, built to `dist/client/` at the repository root (served
 * by the Fastify server in production, `npm start`). In development (`vite` or `npm run dev`)
 * `/api` is proxied to the server on 127.0.0.1:3000 (or `IAB_API_URL`).
 *
 * Chunks: maplibre-gl (~250 KB gzip) lives in its own long-cached chunk and is only loaded by
 * the lazily imported map page, so the app shell (React, router, stores, i18n) stays small
 * (target: ≤ 170 KB gzip, ../shared/TARGETS.md).
 */
const root = fileURLToPath(new URL('./client', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/client', import.meta.url));
/** Where the dev server sends `/api` (the Fastify server); override for a server elsewhere. */
const apiTarget = process.env.IAB_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // A regex key: a bare '/api' prefix would also swallow the module /api.ts.
      '^/api/': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    proxy: {
      // A regex key: a bare '/api' prefix would also swallow the module /api.ts.
      '^/api/': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // maplibre alone is ~800 KB minified; it is split out on purpose, so don't warn about it.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/, priority: 20 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
