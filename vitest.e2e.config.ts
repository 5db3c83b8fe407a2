import { defineConfig } from "vitest/config";

// Tests against the real GitHub: they need GITHUB_TOKEN and KEYWARD_E2E_ORG, and stay out of `npm test`.
export default defineConfig({
  test: { include: ["test/e2e/**/*.e2e.ts"], testTimeout: 600_000 },
});
