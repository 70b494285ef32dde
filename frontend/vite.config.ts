/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { docsViewer } from "./build/docsViewer.ts";
import { precompress } from "./build/precompress.ts";

// In development the page runs on Vite's server and the API on uvicorn (python -m seoulcast_api);
// these paths are forwarded so the page can use same-origin URLs in both set-ups.
const API = process.env.SEOULCAST_API_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), docsViewer(), precompress()],
  server: {
    proxy: {
      "/api": API,
      "/health": API,
      "/result": API,
      "/schema": API,
    },
  },
  build: {
    chunkSizeWarningLimit: 800,
    // precompress() spends its seconds on purpose (brotli at its highest level, once per build):
    // Rolldown's slow-plugin report would only fill the install's output.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
