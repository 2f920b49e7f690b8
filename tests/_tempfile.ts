// Helpers shared by the tempfile test files: scratch directories made with
// Deno's own API (so a bug in the code under test cannot hide), and child
// `deno run`s of a script that imports tempfile.ts as `tf`.

import { DENO_CONFIG } from "./_oracle.ts";

/** tempfile.ts, for the scripts that children run. */
export const MODULE: string = new URL("../tempfile.ts", import.meta.url).href;
/** The default name shape: `tmp` and 16 lowercase hex characters. */
export const NAME: RegExp = /^tmp[0-9a-f]{16}$/;
/** This Deno, for children. */
export const DENO: string = Deno.execPath();

/** True when something (even a dangling symlink) is at `path`. */
export function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** The permission bits of `path` itself (not of a symlink's target). */
export function mode(path: string): number {
  return Deno.lstatSync(path).mode! & 0o7777;
}

/** The last component of `path`. */
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** A scratch directory made with Deno's own API, removed at disposal. */
export function scratch(parent?: string): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ dir: parent, prefix: "tempfile_test_" });
  return {
    path,
    [Symbol.dispose]() {
      // Undo any read-only bits a test left, then remove.
      new Deno.Command("chmod", { args: ["-R", "u+rwx", path] }).outputSync();
      Deno.removeSync(path, { recursive: true });
    },
  };
}

/** What a child run gave. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode denoRun}. */
export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** A command prefix, such as `unprivileged()`'s or `prlimit`'s. */
  wrap?: string[];
}

/** Writes `code` (with `tf` bound to tempfile.ts) to a script in `dir`. */
export function writeScript(dir: string, code: string): string {
  const script = `${dir}/script_${crypto.randomUUID()}.ts`;
  Deno.writeTextFileSync(
    script,
    `import * as tf from ${JSON.stringify(MODULE)};\n${code}\n`,
  );
  return script;
}

/** The argv that runs `script` under `flags` and `wrap`. */
export function denoArgv(
  script: string,
  flags: string[],
  wrap: string[] = [],
): [string, string[]] {
  const [cmd, ...args] = [
    ...wrap,
    DENO,
    "run",
    "--config",
    DENO_CONFIG,
    ...flags,
    script,
  ];
  return [cmd, args];
}

/** Runs `code` (with `tf` bound to tempfile.ts) in a fresh `deno run`. */
export async function denoRun(
  dir: string,
  code: string,
  flags: string[],
  opts: RunOptions = {},
): Promise<Ran> {
  const script = writeScript(dir, code);
  const [cmd, args] = denoArgv(script, flags, opts.wrap);
  const out = await new Deno.Command(cmd, {
    args,
    env: { NO_COLOR: "1", ...opts.env },
    cwd: opts.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(script);
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Reads a child's output line by line. */
export function lineReader(
  stream: ReadableStream<Uint8Array>,
): () => Promise<string | undefined> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  return async () => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) return buffered === "" ? undefined : buffered;
      buffered += value;
    }
  };
}
