// Copies the client module and the jsmpeg player into the Python package's console (gateway/console/vendor/),
// so the installed gateway serves them without npm. `--check` only compares (exit 1 on drift).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "..", "gateway", "console", "vendor");
export const COPIES = {
  "relay-client.js": join(here, "src", "index.js"),
  "jsmpeg-player.esm.js": join(here, "node_modules", "@cycjimmy", "jsmpeg-player", "dist", "jsmpeg-player.esm.js"),
  "jsmpeg-player.LICENSE": join(here, "node_modules", "@cycjimmy", "jsmpeg-player", "LICENSE"),
};

const check = process.argv.includes("--check");
let drift = 0;
mkdirSync(vendor, { recursive: true });
for (const [name, source] of Object.entries(COPIES)) {
  const target = join(vendor, name);
  const want = readFileSync(source);
  if (check) {
    let have = null;
    try {
      have = readFileSync(target);
    } catch {
      // missing counts as drift
    }
    if (!have || !want.equals(have)) {
      console.error(`drift: ${target} differs from ${source} (run npm run build in clients/js)`);
      drift += 1;
    }
  } else {
    writeFileSync(target, want);
    console.log(`${source} -> ${target}`);
  }
}
process.exit(drift ? 1 : 0);
