/**
 * The API's docs viewer (Swagger UI at /schema), copied from the pinned npm package
 * `swagger-ui-dist` into dist/assets/ under content-hashed names, so the API serves it and
 * nothing loads from a CDN. `dist/docs-viewer.json` tells the API the names
 * (seoulcast_api/openapi.py).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Plugin } from "vite";

const PACKAGE = "swagger-ui-dist";
const FILES = {
  js: "swagger-ui-bundle.js",
  preset: "swagger-ui-standalone-preset.js",
  css: "swagger-ui.css",
} as const;
export const VIEWER_MANIFEST = "docs-viewer.json";

/** The file without its `sourceMappingURL` line: the maps are not shipped. */
function withoutSourceMap(text: string): string {
  return text.replace(/\n?\/[/*]# sourceMappingURL=[^\n]*$/, "");
}

export function docsViewer(): Plugin {
  const folder = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  const { version } = JSON.parse(readFileSync(join(folder, "package.json"), "utf-8")) as {
    version: string;
  };
  return {
    name: "seoulcast-docs-viewer",
    apply: "build",
    generateBundle() {
      const urls: Record<string, string> = {};
      for (const [role, file] of Object.entries(FILES)) {
        const reference = this.emitFile({
          type: "asset",
          name: file,
          source: withoutSourceMap(readFileSync(join(folder, file), "utf-8")),
        });
        urls[role] = `/${this.getFileName(reference)}`;
      }
      this.emitFile({
        type: "asset",
        fileName: VIEWER_MANIFEST,
        source: `${JSON.stringify({ viewer: PACKAGE, version, ...urls }, null, 2)}\n`,
      });
    },
  };
}
