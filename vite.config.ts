import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard (web/) builds into dist/web, which the server serves under `npm start`.
// `npx vite` runs the dev server on :5173 and proxies /api to the API (API_URL, default :3000);
// the proxy rewrites Origin so the API's CSRF origin check sees its own host.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Charts and the admin screens are split per route (React.lazy); this only quiets the warning.
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': {
        target: api,
        changeOrigin: true,
        configure(proxy) {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', api);
          });
        },
      },
    },
  },
});
