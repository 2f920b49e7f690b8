/**
 * tempkit: Python's `tempfile` and `random` for Deno, plus exact file and
 * path helpers.
 *
 * @example Path helpers
 * ```ts
 * import { basename, dirname, join } from "@tempkit/tempkit";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(join(dirname("/srv/app/main.ts"), "deno.json"), "/srv/app/deno.json");
 * assertEquals(basename("/srv/app/main.ts", ".ts"), "main");
 * ```
 *
 * @example Python's random, reproducible to the bit
 * ```ts
 * import { Random, random } from "@tempkit/tempkit";
 * import { assert, assertEquals } from "@std/assert";
 *
 * assertEquals(new Random(42).random(), 0.6394267984578837);
 * const die = random.randint(1, 6);
 * assert(die >= 1 && die <= 6);
 * ```
 *
 * @module
 */

export * from "./path.ts";
export { Random, SystemRandom } from "./random.ts";
export * as random from "./random.ts";
export * from "./tempfile.ts";
export * from "./stdfs.ts";
export * from "./store.ts";
