// Helpers shared by the module store's tests.

import { join } from "@std/path/join";
import { fromFileUrl } from "@std/path/from-file-url";
import { encodeHex } from "@std/encoding/hex";
import { walk } from "@std/fs/walk";
import { ModuleStore } from "../store.ts";
import { DENO_CONFIG } from "./_oracle.ts";

/** The store fixtures' directory. */
export const FIXTURES: string = fromFileUrl(
  new URL("./fixtures/store/", import.meta.url),
);

/** A fixture's path. */
export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** `store.ts` as a URL a child script can import. */
export const STORE_TS: string = new URL("../store.ts", import.meta.url).href;

/** A new store in a new directory, without fsync (tests throw it away). */
export async function freshStore(): Promise<ModuleStore> {
  const dir = await Deno.makeTempDir({ prefix: "tempkit-store-test-" });
  return await ModuleStore.open(dir, { fsync: false });
}

/** Every file under `dir` with the sha256 of its bytes, sorted. */
export async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walk(dir, { includeDirs: true })) {
    if (e.path === join(dir, "lock")) continue;
    if (e.isDirectory) out.push(`${e.path}/`);
    else {
      const bytes = await Deno.readFile(e.path);
      const hash = encodeHex(
        new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
      );
      out.push(`${e.path} ${hash}`);
    }
  }
  return out.sort();
}

/** What a child process printed and how it ended. */
export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno run <flags> -` with `script` on stdin and the project's
 * import map, in `env` (added to the environment).
 */
export async function denoScript(
  script: string,
  flags: string[],
  env?: Record<string, string>,
): Promise<ChildResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", `--config=${DENO_CONFIG}`, ...flags, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env,
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** The keys of a store's records, by the file name each came from. */
export async function keysBySource(
  store: ModuleStore,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(join(store.path, "meta"))) {
    const meta = JSON.parse(
      await Deno.readTextFile(join(store.path, "meta", e.name)),
    );
    out.set(meta.source.slice(meta.source.lastIndexOf("/") + 1), meta.key);
  }
  return out;
}
