/**
 * The module store's command line, on `store.ts`:
 *
 * ```sh
 * deno run -A jsr:@tempkit/tempkit/cli/store ingest main.ts --name app   # prints the key
 * deno run -A jsr:@tempkit/tempkit/cli/store run app --port 8080
 * deno run -A jsr:@tempkit/tempkit/cli/store verify app
 * ```
 *
 * Commands: `ingest <entry|dir> [--name N] [--config F | --no-config]
 * [--allow-import HOST:PORT]... [--strict] [--watch]`, `run [deno flags]
 * <key|name> [args...]`, `ls`, `pin <name> <key|name>`, `unpin <name>`,
 * `verify [key|name]`, `fsck`, `gc [--grace SECONDS]`, `export <key|name>
 * [-o FILE]`, `import [FILE]`; `--store DIR` before the command (default:
 * `TEMPKIT_STORE`, then the user's data directory), `--help` anywhere.
 *
 * A name is looked up first in `tempkit.names.json` in the current
 * directory, if there is one (a JSON object, name → key: a project's names,
 * kept in its repository), then among the store's pinned names.
 *
 * Arguments are parsed with `@std/cli`'s `parseArgs`, except `run`'s: the
 * Deno flags before the key and every argument after it pass through
 * untouched, which `parseArgs` cannot express. Output for scripts (keys,
 * names) goes to stdout; messages to stderr, with progress for long
 * ingests only when stderr is a terminal. It never prompts for a
 * permission: a missing grant is a message naming the flag. Exit status 1
 * on failure (a failed ingest, a problem `verify` or `fsck` found), 2 for a
 * usage error.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import {
  bold,
  dim,
  getColorEnabled,
  red,
  setColorEnabled,
  yellow,
} from "@std/fmt/colors";
import { dirname } from "@std/path/dirname";
import { fromFileUrl } from "@std/path/from-file-url";
import { resolve } from "@std/path/resolve";
import {
  type IngestProgress,
  type IngestResult,
  ModuleStore,
  StoreError,
  type StoreProblem,
} from "../store.ts";
import { isGranted } from "../_permissions.ts";

const PROG = "store";
const KEY = /^[0-9a-f]{64}$/;
/** The project names file read from the current directory. */
const NAMES_FILE = "tempkit.names.json";

const HELP = `Usage: ${PROG} [--store DIR] <command> [arguments]

A content-addressed module store: ingest a module with everything it
imports, then run or load it by key.

Commands:
  ingest <entry|dir>     store a module (or every module under a directory)
                         and print its key
      --name N           pin the key under the name N
      --config FILE      the deno.json resolving the entry (default: the
                         one Deno would find); --no-config for none
      --allow-import H   a host:port remote modules may come from (repeat)
      --strict           fail on what the store cannot capture
      --watch            ingest again on every change, printing each new key
  run [deno flags] <key|name> [args...]
                         deno run the stored module; flags such as
                         --allow-read before the key go to deno run
  ls                     list the pinned names (store and ${NAMES_FILE})
  pin <name> <key|name>  pin a name to a key the store holds
  unpin <name>           remove a pinned name
  verify [key|name]      re-hash a closure (default: every pinned name)
  fsck                   check the whole store
  gc [--grace SECONDS]   remove what no pin reaches, except closures
                         ingested less than SECONDS ago (default 3600)
  export <key|name> [-o FILE]
                         write the closure as a tar archive (default stdout)
  import [FILE]          read such an archive (default stdin)

Options:
  --store DIR            the store (default: $TEMPKIT_STORE, then
                         ~/.local/share/tempkit/store)
  -h, --help             show this help

A name is looked up in ./${NAMES_FILE} (a JSON object, name -> key) before
the store's pinned names. Exit status: 0 ok, 1 failure, 2 usage error.
`;

/** What the command line writes to, and whether stderr is a terminal. */
interface StoreCliIo {
  stdout: WritableStream<Uint8Array>;
  stderr: WritableStream<Uint8Array>;
  stdin: ReadableStream<Uint8Array>;
  terminal: boolean;
}

class UsageError extends Error {}

const encoder = new TextEncoder();

class Out {
  readonly #out: WritableStreamDefaultWriter<Uint8Array>;
  readonly #err: WritableStreamDefaultWriter<Uint8Array>;
  readonly terminal: boolean;
  #progress = false;

  constructor(io: StoreCliIo) {
    this.#out = io.stdout.getWriter();
    this.#err = io.stderr.getWriter();
    this.terminal = io.terminal;
  }
  async bytes(chunk: Uint8Array): Promise<void> {
    await this.#out.write(chunk);
  }
  async line(text: string): Promise<void> {
    await this.clearProgress(); // both may be on one screen
    await this.#out.write(encoder.encode(`${text}\n`));
  }
  async note(text: string): Promise<void> {
    await this.clearProgress();
    await this.#err.write(encoder.encode(`${text}\n`));
  }
  async error(text: string): Promise<void> {
    await this.note(`${red(bold("error"))}: ${text}`);
  }
  progress(text: string): void {
    if (!this.terminal) return;
    this.#progress = true;
    this.#err.write(encoder.encode(`\r\x1b[K${dim(text)}`)).catch(() => {});
  }
  async clearProgress(): Promise<void> {
    if (!this.#progress) return;
    this.#progress = false;
    await this.#err.write(encoder.encode("\r\x1b[K"));
  }
  release(): void {
    this.#out.releaseLock();
    this.#err.releaseLock();
  }
}

/** `parseArgs` for one command: its flags, and its positionals as written. */
function parse(
  command: string,
  args: string[],
  spec: {
    string?: string[];
    boolean?: string[];
    collect?: string[];
    negatable?: string[];
    alias?: Record<string, string>;
  },
): { flags: Record<string, unknown>; positionals: string[] } {
  const positionals: string[] = [];
  let unknown: string | undefined;
  const flags = parseArgs(args, {
    ...spec,
    boolean: [...spec.boolean ?? [], "help"],
    alias: { ...spec.alias, h: "help" },
    "--": true,
    unknown(arg, key) {
      if (key === undefined) positionals.push(arg);
      else unknown ??= arg;
      return false;
    },
  }) as Record<string, unknown>;
  if (unknown !== undefined) {
    throw new UsageError(`${command}: unknown option ${unknown}`);
  }
  positionals.push(...(flags["--"] as string[] ?? []));
  return { flags, positionals };
}

function arity(
  command: string,
  positionals: string[],
  min: number,
  max: number,
  what: string,
): void {
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(`${command} takes ${what}`);
  }
}

/** The project's names file in the current directory: name → key. */
async function namesFile(): Promise<Record<string, string>> {
  const path = resolve(NAMES_FILE);
  if (!isGranted("read", path)) return {};
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {};
    throw err;
  }
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    names = undefined;
  }
  if (
    names === null || typeof names !== "object" || Array.isArray(names) ||
    !Object.values(names).every((v) => typeof v === "string" && KEY.test(v))
  ) {
    throw new StoreError(
      "CORRUPT",
      `${NAMES_FILE} must be a JSON object mapping names to keys (64 lowercase hex characters)`,
      { path },
    );
  }
  return names as Record<string, string>;
}

/** A key, a name in the names file, or a name pinned in the store. */
async function keyOf(store: ModuleStore, keyOrName: string): Promise<string> {
  if (KEY.test(keyOrName)) return keyOrName;
  const local = await namesFile();
  if (Object.hasOwn(local, keyOrName)) return local[keyOrName];
  const key = await store.resolve(keyOrName);
  if (key === undefined) {
    throw new StoreError(
      "NOT_FOUND",
      `no key or name "${keyOrName}" (not in ./${NAMES_FILE}, not pinned in ${store.path})`,
    );
  }
  return key;
}

function progressText(p: IngestProgress): string {
  const label = {
    graph: "reading the module graph",
    hash: "hashing",
    write: "writing",
    check: "checking the stored copy, pass",
    record: "recording",
  }[p.phase];
  return p.phase === "check"
    ? `${label} ${p.total}`
    : `${label} ${p.done}/${p.total}`;
}

async function printIngest(
  out: Out,
  result: IngestResult,
  entry: string,
): Promise<void> {
  for (const w of result.warnings) {
    await out.note(`${yellow("warning")}: ${w.file}:${w.line}: ${w.message}`);
  }
  if (result.key !== undefined) await out.line(result.key);
  for (const [path, key] of Object.entries(result.keys ?? {})) {
    await out.line(`${key}  ${path}`);
  }
  await out.note(
    dim(
      `${entry}: ${result.modules} module(s), ${result.written} new${
        result.config ? `, config ${result.config}` : ""
      }`,
    ),
  );
}

async function ingestCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
): Promise<number> {
  const { flags, positionals } = parse("ingest", args, {
    string: ["name", "config", "allow-import"],
    collect: ["allow-import"],
    negatable: ["config"],
    boolean: ["strict", "watch"],
  });
  arity("ingest", positionals, 1, 1, "one entry: a module or a directory");
  const entry = positionals[0];
  const options = {
    name: flags.name as string | undefined,
    config: flags.config as string | false | undefined,
    allowImport: flags["allow-import"] as string[],
    strict: flags.strict as boolean,
    onProgress: (p: IngestProgress) => out.progress(progressText(p)),
  };
  const once = async () => {
    const result = await store.ingest(entry, options);
    await out.clearProgress();
    await printIngest(out, result, entry);
    return result;
  };
  if (!flags.watch) {
    await once();
    return 0;
  }
  return await watch(store, out, once);
}

/** The directories holding the closure's own files (not the store's). */
function watchedDirs(store: ModuleStore, result: IngestResult): string[] {
  const dirs = new Set<string>();
  for (const url of result.sources) {
    if (!url.startsWith("file:")) continue;
    const dir = dirname(fromFileUrl(url));
    if (dir === store.path || dir.startsWith(store.path + "/")) continue;
    dirs.add(dir);
  }
  return [...dirs].sort();
}

async function watch(
  store: ModuleStore,
  out: Out,
  once: () => Promise<IngestResult>,
): Promise<number> {
  let last = await once();
  for (;;) {
    const dirs = watchedDirs(store, last);
    using watcher = Deno.watchFs(dirs, { recursive: false });
    await out.note(
      dim(`watching ${dirs.length} director${dirs.length === 1 ? "y" : "ies"}`),
    );
    const it = watcher[Symbol.asyncIterator]();
    await it.next(); // the first change
    // Let an editor's burst of writes settle: wait for 150 ms of quiet.
    for (let busy = true; busy;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      busy = await Promise.race([
        it.next().then(() => true),
        new Promise<boolean>((r) => timer = setTimeout(() => r(false), 150)),
      ]);
      clearTimeout(timer);
    }
    try {
      last = await once();
    } catch (err) {
      await out.clearProgress();
      await out.error(message(err));
    }
  }
}

const DENO_FLAG =
  /^(-A|--allow-[a-z-]+(=.*)?|--deny-[a-z-]+(=.*)?|--no-prompt|--cached-only|--quiet|-q|--seed=\d+|--v8-flags=.*|--unstable-[a-z-]+|--location=.*|--env-file(=.*)?)$/;

async function runCommand(store: ModuleStore, args: string[]): Promise<number> {
  const flags: string[] = [];
  let i = 0;
  for (; i < args.length && args[i].startsWith("-"); i++) {
    if (args[i] === "-h" || args[i] === "--help") throw new HelpRequest();
    if (!DENO_FLAG.test(args[i])) {
      throw new UsageError(
        `run: ${
          args[i]
        } is not a deno run flag this command passes on (permission flags, --no-prompt, --cached-only, --quiet, --seed, --v8-flags, --unstable-*, --location, --env-file)`,
      );
    }
    flags.push(args[i]);
  }
  if (i >= args.length) throw new UsageError("run takes a key or name");
  const key = await keyOf(store, args[i]);
  if (!await store.has(key)) {
    throw new StoreError(
      "NOT_FOUND",
      `the store ${store.path} holds no module ${key}`,
      { key },
    );
  }
  const url = store.urlFor(key);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", ...flags, url.href, ...args.slice(i + 1)],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

async function lsCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
): Promise<number> {
  arity("ls", parse("ls", args, {}).positionals, 0, 0, "no arguments");
  const rows: [string, string, string][] = [];
  for (const [name, key] of Object.entries(await store.names())) {
    rows.push([key, name, ""]);
  }
  for (const [name, key] of Object.entries(await namesFile())) {
    const held = await store.has(key);
    rows.push([key, name, `${NAMES_FILE}${held ? "" : ", not in the store"}`]);
  }
  for (const [key, name, where] of rows) {
    await out.line(`${key}  ${name}${where ? `  (${where})` : ""}`);
  }
  return 0;
}

async function problems(out: Out, list: StoreProblem[]): Promise<void> {
  for (const p of list) {
    await out.note(`${red("problem")}: ${p.path}: ${p.message}`);
  }
}

async function verifyCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
): Promise<number> {
  const { positionals } = parse("verify", args, {});
  arity("verify", positionals, 0, 1, "at most one key or name");
  const targets: [string, string][] = [];
  if (positionals.length === 1) {
    targets.push([positionals[0], await keyOf(store, positionals[0])]);
  } else {
    const pinned = { ...await store.names(), ...await namesFile() };
    for (const [name, key] of Object.entries(pinned)) targets.push([name, key]);
    if (targets.length === 0) await out.note("nothing pinned to verify");
  }
  let failed = 0;
  for (const [label, key] of targets) {
    out.progress(`verifying ${label}`);
    const result = await store.verify(key);
    if (result.ok) {
      await out.line(
        `ok ${key}  ${label} (${result.checked} modules)`,
      );
    } else {
      failed++;
      await out.line(`FAILED ${key}  ${label}`);
      await problems(out, result.problems);
    }
  }
  return failed === 0 ? 0 : 1;
}

async function fsckCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
): Promise<number> {
  arity("fsck", parse("fsck", args, {}).positionals, 0, 0, "no arguments");
  out.progress("checking every record and module");
  const result = await store.fsck();
  await problems(out, result.problems);
  await out.line(
    `${
      result.ok ? "ok" : "FAILED"
    }: ${result.checked} modules checked, ${result.problems.length} problem(s), ${result.garbage} leftover(s) for gc`,
  );
  return result.ok ? 0 : 1;
}

async function gcCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
): Promise<number> {
  const { flags, positionals } = parse("gc", args, { string: ["grace"] });
  arity("gc", positionals, 0, 0, "no arguments but --grace");
  let graceMs: number | undefined;
  if (flags.grace !== undefined) {
    const seconds = Number(flags.grace);
    if (flags.grace === "" || !(seconds >= 0) || !Number.isFinite(seconds)) {
      throw new UsageError(
        `gc: --grace takes a number of seconds >= 0, got "${flags.grace}"`,
      );
    }
    graceMs = seconds * 1000;
  }
  out.progress("collecting");
  const { removed, kept } = await store.gc({ graceMs });
  await out.line(`removed ${removed} module(s), kept ${kept}`);
  return 0;
}

async function exportCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
  io: StoreCliIo,
): Promise<number> {
  const { flags, positionals } = parse("export", args, {
    string: ["output"],
    alias: { o: "output" },
  });
  arity("export", positionals, 1, 1, "one key or name");
  const output = flags.output as string | undefined;
  if (output === undefined && io.terminal && Deno.stdout.isTerminal()) {
    throw new UsageError(
      "export: refusing to write an archive to a terminal; use -o FILE or a pipe",
    );
  }
  out.progress("verifying the closure");
  const archive = await store.exportTar(await keyOf(store, positionals[0]));
  await out.clearProgress();
  if (output === undefined) {
    for await (const chunk of archive) await out.bytes(chunk);
  } else {
    using file = await Deno.open(output, {
      write: true,
      create: true,
      truncate: true,
    });
    for await (const chunk of archive) {
      for (let at = 0; at < chunk.length;) {
        at += await file.write(chunk.subarray(at));
      }
    }
  }
  return 0;
}

async function importCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
  io: StoreCliIo,
): Promise<number> {
  const { positionals } = parse("import", args, {});
  arity("import", positionals, 0, 1, "at most one archive file");
  out.progress("importing");
  let result;
  if (positionals.length === 0) result = await store.importTar(io.stdin);
  else {
    using file = await Deno.open(positionals[0], { read: true });
    result = await store.importTar(file.readable);
  }
  await out.line(result.key);
  await out.note(dim(`${result.modules} module(s), ${result.written} new`));
  return 0;
}

async function pinCommand(store: ModuleStore, args: string[]): Promise<number> {
  const { positionals } = parse("pin", args, {});
  arity("pin", positionals, 2, 2, "a name and a key (or a name to copy)");
  await store.resolve(positionals[0]); // a malformed name is a usage error first
  await store.pin(positionals[0], await keyOf(store, positionals[1]));
  return 0;
}

async function unpinCommand(
  store: ModuleStore,
  out: Out,
  args: string[],
): Promise<number> {
  const { positionals } = parse("unpin", args, {});
  arity("unpin", positionals, 1, 1, "one name");
  if (await store.unpin(positionals[0])) return 0;
  await out.error(`no pinned name "${positionals[0]}"`);
  return 1;
}

class HelpRequest extends Error {}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const COMMANDS = new Set([
  "ingest",
  "run",
  "ls",
  "pin",
  "unpin",
  "verify",
  "fsck",
  "gc",
  "export",
  "import",
]);

/**
 * Runs the command line on `args` and returns the exit status.
 *
 * @param args The arguments, as `Deno.args`.
 * @param io Where to write (default: the process's streams).
 * @returns 0, 1 on failure, 2 for a usage error.
 */
async function storeMain(
  args: string[],
  io: StoreCliIo = {
    stdout: Deno.stdout.writable,
    stderr: Deno.stderr.writable,
    stdin: Deno.stdin.readable,
    terminal: Deno.stderr.isTerminal(),
  },
): Promise<number> {
  const out = new Out(io);
  // Colours on stderr, and only on a terminal (NO_COLOR is honoured too).
  setColorEnabled(getColorEnabled() && io.terminal);
  try {
    const global = parseArgs(args, {
      string: ["store"],
      boolean: ["help"],
      alias: { h: "help" },
      stopEarly: true,
      "--": true,
      unknown: (_arg, key) => key === undefined,
    });
    const rest = [...global._.map(String)];
    if (global["--"].length > 0) rest.push("--", ...global["--"]);
    const [command, ...commandArgs] = rest;
    if (global.help || command === "help") throw new HelpRequest();
    if (command === undefined) throw new UsageError("a command is needed");
    if (!COMMANDS.has(command)) {
      throw new UsageError(`unknown command "${command}"`);
    }
    if (
      command !== "run" && commandArgs.some((a) => a === "-h" || a === "--help")
    ) {
      throw new HelpRequest();
    }
    if (global.store === "") throw new UsageError("--store takes a directory");
    const store = await ModuleStore.open(global.store);
    switch (command) {
      case "ingest":
        return await ingestCommand(store, out, commandArgs);
      case "run":
        return await runCommand(store, commandArgs);
      case "ls":
        return await lsCommand(store, out, commandArgs);
      case "pin":
        return await pinCommand(store, commandArgs);
      case "unpin":
        return await unpinCommand(store, out, commandArgs);
      case "verify":
        return await verifyCommand(store, out, commandArgs);
      case "fsck":
        return await fsckCommand(store, out, commandArgs);
      case "gc":
        return await gcCommand(store, out, commandArgs);
      case "export":
        return await exportCommand(store, out, commandArgs, io);
      default:
        return await importCommand(store, out, commandArgs, io);
    }
  } catch (err) {
    await out.clearProgress();
    if (err instanceof HelpRequest) {
      await out.line(HELP.trimEnd());
      return 0;
    }
    if (err instanceof UsageError || err instanceof TypeError) {
      await out.error(
        `${err.message}\nTry '${PROG} --help' for more information.`,
      );
      return 2;
    }
    await out.error(message(err));
    return 1;
  } finally {
    out.release();
  }
}

if (import.meta.main) Deno.exit(await storeMain(Deno.args));
