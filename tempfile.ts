/**
 * Placeholder for the real `tempfile.ts` (written on another branch): only
 * `mkstemp` and `mkstempSync`, with the signature the real module has, so
 * that `stdfs.ts` can create the sibling file of an atomic write. The lead
 * replaces this file with the real module at merge time.
 *
 * @example Usage
 * ```ts
 * import { mkstempSync } from "./tempfile.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const path = mkstempSync({ dir, prefix: "log-", suffix: ".txt" });
 * assert.match(path, /\/log-[0-9a-f]{16}\.txt$/);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @module
 */

type MkstempOptions = { dir?: string | URL; prefix?: string; suffix?: string };

const ATTEMPTS = 10;

function candidate(opts: MkstempOptions): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  const dir = opts.dir instanceof URL
    ? decodeURIComponent(opts.dir.pathname)
    : opts.dir ?? Deno.env.get("TMPDIR") ?? "/tmp";
  const name = `${opts.prefix ?? "tmp"}${hex}${opts.suffix ?? ""}`;
  const path = dir.endsWith("/") ? dir + name : `${dir}/${name}`;
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

const CREATE: Deno.OpenOptions = { write: true, createNew: true, mode: 0o600 };

/**
 * Creates a new file exclusively, mode `0o600`, named `prefix + 16 hex chars +
 * suffix` in `dir`, and returns its absolute path.
 *
 * @example Usage
 * ```ts
 * import { mkstemp } from "./tempfile.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const path = await mkstemp({ dir });
 * assert.equal((await Deno.stat(path)).size, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export async function mkstemp(
  opts: { dir?: string | URL; prefix?: string; suffix?: string } = {},
): Promise<string> {
  for (let i = 1;; i++) {
    const path = candidate(opts);
    try {
      (await Deno.open(path, CREATE)).close();
      return path;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists) || i >= ATTEMPTS) {
        throw err;
      }
    }
  }
}

/**
 * Synchronous twin of {@linkcode mkstemp}.
 *
 * @example Usage
 * ```ts
 * import { mkstempSync } from "./tempfile.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const path = mkstempSync({ dir });
 * assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export function mkstempSync(
  opts: { dir?: string | URL; prefix?: string; suffix?: string } = {},
): string {
  for (let i = 1;; i++) {
    const path = candidate(opts);
    try {
      Deno.openSync(path, CREATE).close();
      return path;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists) || i >= ATTEMPTS) {
        throw err;
      }
    }
  }
}
