import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `npm run dev`: the SPA on :5173 with /api proxied to the backend of `make run`.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": { target: process.env.OMS_API_TARGET ?? "http://127.0.0.1:8000", changeOrigin: false },
    },
  },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        // Libraries in their own chunk: it changes only when package-lock.json does, so
        // browsers keep it across deployments of the application code.
        // Chart.js (and its colour helper) stays out of it: only dashboards load it, lazily.
        codeSplitting: {
          groups: [
            { name: "charts", test: /node_modules[\\/](chart\.js|@kurkle)[\\/]/, priority: 2 },
            { name: "vendor", test: /node_modules[\\/](?!chart\.js[\\/]|@kurkle[\\/])/, priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    // Two projects: plain unit tests in Node, component tests (`*.dom.test.tsx`) in jsdom.
    projects: [
      { extends: true, test: { name: "unit", environment: "node", include: ["src/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "dom",
          environment: "jsdom",
          include: ["src/**/*.dom.test.tsx"],
          setupFiles: ["src/test/setup.ts"],
        },
      },
    ],
  },
});
