// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/results/**", "**/*.js", "**/*.mjs"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true, allowNullish: true }],
      "@typescript-eslint/only-throw-error": "error",
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "No default exports." }],
    },
  },
  {
    // Boundaries of the layout: only src/store imports better-sqlite3, only src/github imports octokit clients.
    files: ["src/**/*.ts"],
    ignores: ["src/store/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "better-sqlite3", message: "Only src/store talks to SQLite." }] }],
    },
  },
  {
    files: ["src/keys/**/*.ts", "src/sources/**/*.ts", "src/queries/**/*.ts", "src/output/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "better-sqlite3", message: "Only src/store talks to SQLite." }],
          patterns: [{ group: ["@octokit/*"], message: "Only src/github (and the simulator) use octokit." }],
        },
      ],
    },
  },
  {
    // Tool configuration files must default-export their config.
    files: ["vitest.config.ts", "vitest.e2e.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
