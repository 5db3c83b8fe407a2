import { join } from "node:path";
import { onTestFinished } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";
import { tempDir } from "./temp-dir.js";

/** A real SQLite file with the real migrations, in a temp dir removed after the test. */
export function tempStore(): Store {
  const store = openStore(join(tempDir(), "keyward.db"));
  onTestFinished(() => store.close());
  return store;
}
