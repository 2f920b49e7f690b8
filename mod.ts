/**
 * tempkit: Python's `tempfile` and `random` for Deno, plus exact file and
 * path helpers.
 *
 * @example Path helpers
 * ```ts
 * import { basename, dirname, join } from "@tempkit/tempkit";
 * import assert from "node:assert/strict";
 *
 * assert.equal(join(dirname("/srv/app/main.ts"), "deno.json"), "/srv/app/deno.json");
 * assert.equal(basename("/srv/app/main.ts", ".ts"), "main");
 * ```
 *
 * @module
 */

export * from "./stdfs.ts";
export * from "./path.ts";
