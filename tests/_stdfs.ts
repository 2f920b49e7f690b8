// Shared by the stdfs test files: both twins behind one interface, and the
// helpers for pipes, child processes and the reference model of the line
// rules.

import { assert, assertEquals, fail } from "@std/assert";
import * as s from "../stdfs.ts";
import { StdfsError, type WriteOptions } from "../stdfs.ts";
import { DENO_CONFIG, have } from "./_oracle.ts";

export const MODULE_URL = new URL("../stdfs.ts", import.meta.url).href;
export const enc = new TextEncoder();

// ---------------------------------------------------------------------------
// Every behaviour runs against both twins through one promise-returning
// interface; the Sync twin is wrapped, so the cases are written once.

export interface Api {
  name: string;
  readFile(p: string | URL): Promise<string>;
  writeFile(p: string | URL, d: string, o?: WriteOptions): Promise<void>;
  append(p: string | URL, d: string): Promise<void>;
  appendLines(p: string | URL, l: Iterable<string>): Promise<void>;
  readLines(p: string | URL): Promise<string[]>;
  writeLines(
    p: string | URL,
    l: Iterable<string>,
    o?: WriteOptions,
  ): Promise<void>;
  lines(p: string | URL): Promise<string[]>;
  readBytes(p: string | URL, o?: s.ReadBytesOptions): Promise<Uint8Array>;
  writeBytes(p: string | URL, d: Uint8Array, o?: WriteOptions): Promise<void>;
  appendBytes(p: string | URL, d: Uint8Array): Promise<void>;
  exists(p: string | URL): Promise<boolean>;
  size(p: string | URL): Promise<number>;
  remove(p: string | URL, o?: s.RemoveOptions): Promise<void>;
}

export const ASYNC: Api = {
  name: "async",
  readFile: s.readFile,
  writeFile: s.writeFile,
  append: s.append,
  appendLines: s.appendLines,
  readLines: s.readLines,
  writeLines: s.writeLines,
  lines: async (p) => {
    const out: string[] = [];
    for await (const line of s.lines(p)) out.push(line);
    return out;
  },
  readBytes: s.readBytes,
  writeBytes: s.writeBytes,
  appendBytes: s.appendBytes,
  exists: s.exists,
  size: s.size,
  remove: s.remove,
};

/** Runs a Sync twin behind a promise (a throw becomes a rejection). */
export function promised<A extends unknown[], R>(
  f: (...args: A) => R,
): (...args: A) => Promise<R> {
  return (...args) => new Promise((resolve) => resolve(f(...args)));
}

export const SYNC: Api = {
  name: "sync",
  readFile: promised(s.readFileSync),
  writeFile: promised(s.writeFileSync),
  append: promised(s.appendSync),
  appendLines: promised(s.appendLinesSync),
  readLines: promised(s.readLinesSync),
  writeLines: promised(s.writeLinesSync),
  lines: promised((p: string | URL) => [...s.linesSync(p)]),
  readBytes: promised(s.readBytesSync),
  writeBytes: promised(s.writeBytesSync),
  appendBytes: promised(s.appendBytesSync),
  exists: promised(s.existsSync),
  size: promised(s.sizeSync),
  remove: promised(s.removeSync),
};

/** Registers `body` once per twin, each with a fresh temporary directory. */
export function twins(
  name: string,
  body: (api: Api, dir: string) => Promise<void>,
) {
  for (const api of [ASYNC, SYNC]) {
    Deno.test(`${name} (${api.name})`, async () => {
      const dir = Deno.makeTempDirSync({ prefix: "stdfs_test_" });
      try {
        await body(api, dir);
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    });
  }
}

/** Asserts a rejected `StdfsError` with `code`; returns it. */
export async function failsWith(
  promise: Promise<unknown>,
  code: s.StdfsErrorCode,
  path?: string,
): Promise<StdfsError> {
  const err = await promise.then(
    () => fail(`expected ${code}, got success`),
    (e) => e,
  );
  assert(err instanceof StdfsError, `expected StdfsError, got ${err}`);
  assertEquals(err.name, "StdfsError");
  assertEquals(err.code, code, err.message);
  if (path !== undefined) assertEquals(err.path, path);
  return err;
}

export const bytesOf = (text: string) => enc.encode(text);
/** Byte equality without building a diff of megabytes on failure. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Names in `dir`, sorted. */
export function listing(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

// ---------------------------------------------------------------------------
// A reference model of the line rules, written as plainly as possible.

export function modelLines(raw: string): string[] {
  if (raw === "") return [];
  const parts: string[] = [];
  let line = "";
  for (const ch of raw) {
    if (ch === "\n") {
      parts.push(line);
      line = "";
    } else {
      line += ch;
    }
  }
  if (line !== "") parts.push(line);
  return parts.map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
}

export const modelText = (raw: string) => modelLines(raw).join("\n");

export const TEXT_UNITS = [
  "a",
  "b",
  "\r",
  "\n",
  "\r\n",
  "é",
  "日",
  "😀",
  "\uFEFF",
];

/**
 * Starts a process that opens `fifo` for writing, writes `first`, and holds
 * the pipe open until the file `release` appears (5 s at most); then it
 * writes `last` when released, "timed out\n" otherwise, and exits.
 */
export function holdPipe(
  fifo: string,
  release: string,
  first: string,
  last = "",
): Deno.ChildProcess {
  const script = `exec 3>"$0"; printf '%s' "$2" >&3; i=0
    while [ ! -e "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    if [ -e "$1" ]; then printf '%s' "$3" >&3; else printf 'timed out\\n' >&3; fi`;
  return new Deno.Command("sh", {
    args: ["-c", script, fifo, release, first, last],
  }).spawn();
}

export function mkfifo(path: string): void {
  assert(new Deno.Command("mkfifo", { args: [path] }).outputSync().success);
}

/** Writes a child script into `dir` and runs it with `flags`. */
export async function child(
  dir: string,
  code: string,
  flags: string[],
  args: string[] = [],
  wrap: string[] = [],
): Promise<Deno.CommandOutput> {
  const script = `${dir}/child_${crypto.randomUUID()}.ts`;
  Deno.writeTextFileSync(script, code);
  const [cmd, ...rest] = [
    ...wrap,
    Deno.execPath(),
    ...[
      "run",
      "--no-prompt",
      "--config",
      DENO_CONFIG,
      ...flags,
      script,
      ...args,
    ],
  ];
  return await new Deno.Command(cmd, {
    args: rest,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

/**
 * The command prefix that runs a child as `uid` (and group `uid`, no
 * supplementary groups), with `home` as its `HOME` and Deno cache, which
 * root's cache is not readable as. `undefined` unless this is root with
 * `setpriv`.
 */
export function asUser(uid: number, home: string): string[] | undefined {
  if (Deno.uid() !== 0 || !have("setpriv")) return undefined;
  return [
    "setpriv",
    `--reuid=${uid}`,
    `--regid=${uid}`,
    "--clear-groups",
    "env",
    `HOME=${home}`,
    `DENO_DIR=${home}/.deno`,
  ];
}

/** Runs `sh -c script` as `uid` (see {@linkcode asUser}); throws on failure. */
export function shAs(uid: number, script: string, ...args: string[]): void {
  const [cmd, ...rest] = [
    "setpriv",
    `--reuid=${uid}`,
    `--regid=${uid}`,
    "--clear-groups",
    "sh",
    "-c",
    script,
    "sh",
    ...args,
  ];
  const out = new Deno.Command(cmd, { args: rest, stderr: "piped" })
    .outputSync();
  if (!out.success) {
    throw new Error(`${script}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * Runs `code` as a child script in `dir` under `-A`, killed with SIGKILL
 * after `ms`: for a test whose failure would be a hang.
 */
export async function childOrKill(
  dir: string,
  code: string,
  ms: number,
  args: string[] = [],
): Promise<Deno.CommandOutput> {
  const script = `${dir}/child_${crypto.randomUUID()}.ts`;
  Deno.writeTextFileSync(script, code);
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", DENO_CONFIG, script, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => proc.kill("SIGKILL"), ms);
  try {
    return await proc.output();
  } finally {
    clearTimeout(timer);
  }
}
