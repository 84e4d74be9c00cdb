import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API runs separately on :3000; in production it serves this build on the same origin,
// so the app always calls relative /v1 URLs and the session cookie stays first-party.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
});
