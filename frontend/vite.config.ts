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
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
