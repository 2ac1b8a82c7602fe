import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// base './': the built files use relative URLs, so rtmon's listener (outputs.sse.dashboard_dir)
// or any static server can serve dist/ from any path.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  test: {
    environment: 'node', // component tests opt in with a @vitest-environment jsdom comment
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
