import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { join } from "@std/path/join";
import { copy } from "@std/fs/copy";
import { TextLineStream } from "@std/streams/text-line-stream";
import { DENO_CONFIG, have } from "./_oracle.ts";
import { fixture } from "./_store.ts";

const CLI = new URL("../cli/store.ts", import.meta.url).pathname;
const KEY_LINE = /^[0-9a-f]{64}\n$/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command line with every grant (or `flags`) in `cwd`. */
async function cli(
  args: string[],
  options: { cwd?: string; flags?: string[]; stdin?: Uint8Array } = {},
): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${DENO_CONFIG}`,
      ...options.flags ?? ["-A"],
      CLI,
      ...args,
    ],
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin);
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

async function workspace() {
  const dir = await Deno.makeTempDir({ prefix: "tempkit-store-cli-" });
  await copy(fixture("cycle"), join(dir, "src"));
  return { dir, store: join(dir, "store"), src: join(dir, "src") };
}

Deno.test("cli: --help, and usage errors exit 2 naming what to fix", async () => {
  const help = await cli(["--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: store [--store DIR] <command>");
  for (
    const command of [
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
    ]
  ) {
    assertStringIncludes(help.stdout, `  ${command}`);
  }
  assertEquals((await cli(["gc", "--help"])).code, 0);
  const { store } = await workspace();
  const cases: [string[], string][] = [
    [[], "a command is needed"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["--store", store, "ingest"], "ingest takes one entry"],
    [
      ["--store", store, "ingest", "x.ts", "--nmae", "y"],
      "ingest: unknown option --nmae",
    ],
    [
      ["--store", store, "gc", "--grace", "soon"],
      "--grace takes a number of seconds",
    ],
    [["--store", store, "pin", "a/b", "c"], "name must not contain /"],
    [
      ["--store", store, "run", "--bogus", "k"],
      "--bogus is not a deno run flag",
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assertEquals(r.code, 2, args.join(" "));
    assertStringIncludes(r.stderr, message);
    assertStringIncludes(r.stderr, "Try 'store --help'");
    assertEquals(r.stdout, "");
  }
});

Deno.test("cli: ingest prints the key, run runs it by key or name, pin/ls/verify/unpin", async () => {
  const { store, src, dir } = await workspace();
  await Deno.writeTextFile(
    join(src, "tool.ts"),
    'import { a } from "./entry_a.ts";\nconsole.log(a, Deno.args.join(","));\nDeno.exit(Deno.args.length);\n',
  );
  const ingest = await cli([
    "--store",
    store,
    "ingest",
    join(src, "tool.ts"),
    "--no-config",
    "--name",
    "tool",
  ]);
  assertEquals(ingest.code, 0, ingest.stderr);
  assertMatch(ingest.stdout, KEY_LINE);
  const key = ingest.stdout.trim();
  assertStringIncludes(ingest.stderr, "5 module(s), 5 new");
  const run = await cli(["--store", store, "run", key, "x", "--y"]);
  assertEquals([run.code, run.stdout], [2, "c1c2c3string x,--y\n"], run.stderr);
  const byName = await cli(["--store", store, "run", "tool"]);
  assertEquals([byName.code, byName.stdout], [0, "c1c2c3string \n"]);
  // Deno flags before the key go to deno run: here, a denied env read.
  await Deno.writeTextFile(
    join(src, "env.ts"),
    'console.log(Deno.env.get("HOME") !== undefined);\n',
  );
  const envKey = (await cli([
    "--store",
    store,
    "ingest",
    join(src, "env.ts"),
    "--no-config",
  ])).stdout.trim();
  const granted = await cli([
    "--store",
    store,
    "run",
    "--allow-env=HOME",
    envKey,
  ]);
  assertEquals(granted.stdout, "true\n", granted.stderr);
  const denied = await cli(["--store", store, "run", "--no-prompt", envKey]);
  assertNotEquals(denied.code, 0);
  assertStringIncludes(denied.stderr, "NotCapable");

  assertEquals((await cli(["--store", store, "pin", "again", "tool"])).code, 0);
  const ls = await cli(["--store", store, "ls"]);
  assertEquals(ls.stdout, `${key}  again\n${key}  tool\n`);
  const verify = await cli(["--store", store, "verify"]);
  assertEquals(verify.code, 0, verify.stderr);
  assertEquals(
    verify.stdout,
    `ok ${key}  again (5 modules)\nok ${key}  tool (5 modules)\n`,
  );
  assertEquals((await cli(["--store", store, "unpin", "again"])).code, 0);
  const gone = await cli(["--store", store, "unpin", "again"]);
  assertEquals(gone.code, 1);
  assertStringIncludes(gone.stderr, 'no pinned name "again"');
  const missing = await cli(["--store", store, "run", "nothing"]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, 'no key or name "nothing"');
  assert(dir.length > 0);
});

Deno.test("cli: verify and fsck exit 1 naming a tampered file; gc removes what no pin reaches", async () => {
  const { store, src } = await workspace();
  const pinned = (await cli([
    "--store",
    store,
    "ingest",
    join(src, "entry_a.ts"),
    "--no-config",
    "--name",
    "a",
  ])).stdout.trim();
  const loose = (await cli([
    "--store",
    store,
    "ingest",
    join(src, "entry_b.ts"),
    "--no-config",
  ])).stdout.trim();
  const file = join(store, "modules", `${pinned}.ts`);
  const original = await Deno.readTextFile(file);
  await Deno.writeTextFile(file, original.replace("chain()", "chain( )"));
  const verify = await cli(["--store", store, "verify", "a"]);
  assertEquals(verify.code, 1);
  assertEquals(verify.stdout, `FAILED ${pinned}  a\n`);
  assertStringIncludes(
    verify.stderr,
    `problem: ${file}: does not hash to its key`,
  );
  const fsck = await cli(["--store", store, "fsck"]);
  assertEquals(fsck.code, 1);
  assertStringIncludes(fsck.stdout, "FAILED: 5 modules checked, 1 problem(s)");
  await Deno.writeTextFile(file, original);
  assertEquals(
    (await cli(["--store", store, "fsck"])).stdout,
    "ok: 5 modules checked, 0 problem(s), 0 leftover(s) for gc\n",
  );
  const gc = await cli(["--store", store, "gc", "--grace", "0"]);
  assertEquals([gc.code, gc.stdout], [0, "removed 1 module(s), kept 4\n"]);
  const run = await cli(["--store", store, "run", loose]);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, "no module");
});

Deno.test("cli: a names file in the current directory names keys for run, verify and ls", async () => {
  const { store, src, dir } = await workspace();
  const key = (await cli([
    "--store",
    store,
    "ingest",
    join(src, "entry_b.ts"),
    "--no-config",
  ])).stdout.trim();
  await Deno.writeTextFile(
    join(dir, "tempkit.names.json"),
    JSON.stringify({ b: key, stale: "9".repeat(64) }),
  );
  const ls = await cli(["--store", store, "ls"], { cwd: dir });
  assertEquals(
    ls.stdout,
    `${key}  b  (tempkit.names.json)\n${
      "9".repeat(64)
    }  stale  (tempkit.names.json, not in the store)\n`,
  );
  await Deno.writeTextFile(
    join(src, "show.ts"),
    'import { b } from "./entry_b.ts";\nconsole.log(b);\n',
  );
  const show = (await cli([
    "--store",
    store,
    "ingest",
    join(src, "show.ts"),
    "--no-config",
  ])).stdout.trim();
  await Deno.writeTextFile(
    join(dir, "tempkit.names.json"),
    JSON.stringify({ show }),
  );
  const run = await cli(["--store", store, "run", "show"], { cwd: dir });
  assertEquals(run.stdout, "c2c3string\n", run.stderr);
  const verify = await cli(["--store", store, "verify", "show"], { cwd: dir });
  assertEquals(verify.stdout, `ok ${show}  show (5 modules)\n`);
  await Deno.writeTextFile(join(dir, "tempkit.names.json"), "[1, 2]");
  const bad = await cli(["--store", store, "run", "show"], { cwd: dir });
  assertEquals(bad.code, 1);
  assertStringIncludes(bad.stderr, "tempkit.names.json must be a JSON object");
});

Deno.test("cli: export and import through a file and through a pipe", async () => {
  const { store, src, dir } = await workspace();
  const key =
    (await cli(["--store", store, "ingest", src, "--no-config"])).stdout;
  assertEquals(key.split("\n").length, 6); // five "key  path" lines
  const entry = key.split("\n").find((l) => l.endsWith("  entry_a.ts"))!.slice(
    0,
    64,
  );
  const archive = join(dir, "a.tar");
  assertEquals(
    (await cli(["--store", store, "export", entry, "-o", archive])).code,
    0,
  );
  const other = join(dir, "other");
  const imported = await cli(["--store", other, "import", archive]);
  assertEquals(imported.stdout, `${entry}\n`, imported.stderr);
  assertStringIncludes(imported.stderr, "4 module(s), 4 new");
  const piped = await cli(["--store", store, "export", entry]);
  assertEquals(
    new TextEncoder().encode(piped.stdout).length,
    (await Deno.stat(archive)).size,
  );
  const third = await cli(["--store", join(dir, "third"), "import"], {
    stdin: await Deno.readFile(archive),
  });
  assertEquals(third.stdout, `${entry}\n`, third.stderr);
  const junk = await cli(["--store", join(dir, "third"), "import"], {
    stdin: new Uint8Array(3000),
  });
  assertEquals(junk.code, 1);
  assertStringIncludes(junk.stderr, "not a module store archive");
});

Deno.test("cli: ingest --watch ingests again on a change and prints the new key", async () => {
  const { store, src } = await workspace();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--config=${DENO_CONFIG}`,
      CLI,
      "--store",
      store,
      "ingest",
      "--watch",
      "--no-config",
      join(src, "entry_a.ts"),
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TextLineStream(),
  );
  const reader = lines.getReader();
  try {
    const first = (await reader.read()).value!;
    assertMatch(`${first}\n`, KEY_LINE);
    // Wait until the watcher is set up.
    const errors = child.stderr.pipeThrough(new TextDecoderStream())
      .getReader();
    let said = "";
    while (!said.includes("watching")) {
      said += (await errors.read()).value ?? "";
    }
    // Edit a leaf of the cycle (again, should an event be missed).
    const edit = () =>
      Deno.writeTextFileSync(join(src, "c3.ts"), "// edited\n", {
        append: true,
      });
    edit();
    const timer = setInterval(edit, 2000);
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const second = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(
          () => reject(new Error("no second key within 20 s")),
          20_000,
        );
      }),
    ]).finally(() => (clearInterval(timer), clearTimeout(deadline)));
    assertMatch(`${second.value}\n`, KEY_LINE);
    assertNotEquals(second.value, first);
    errors.releaseLock();
    // The new key is what a plain ingest of the edited tree gives.
    const plain = await cli([
      "--store",
      store,
      "ingest",
      "--no-config",
      join(src, "entry_a.ts"),
    ]);
    assertEquals(plain.stdout, `${second.value}\n`);
    assertStringIncludes(plain.stderr, "0 new");
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
  }
});

Deno.test("cli: progress shows on a terminal only, and a missing grant is a message, never a prompt", async (t) => {
  const { store, src } = await workspace();
  const piped = await cli([
    "--store",
    store,
    "ingest",
    "--no-config",
    join(src, "entry_a.ts"),
  ]);
  assert(!piped.stderr.includes("\x1b["), JSON.stringify(piped.stderr));
  if (!have("script")) {
    await t.step({
      name: "skipped: no script(1) for a pseudo-terminal",
      ignore: true,
      fn() {},
    });
  } else {
    const command = [
      Deno.execPath(),
      "run",
      "-A",
      `--config=${DENO_CONFIG}`,
      CLI,
      "--store",
      join(store, "..", "tty"),
      "ingest",
      "--no-config",
      join(src, "entry_b.ts"),
    ]
      .map((a) => `'${a}'`).join(" ");
    const tty = await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "" },
    }).output();
    const text = new TextDecoder().decode(tty.stdout);
    assertEquals(tty.code, 0, text);
    assertStringIncludes(text, "\r\x1b[K");
    assertStringIncludes(text, "hashing");
  }
  const denied = await cli([
    "--store",
    store,
    "ingest",
    "--no-config",
    join(src, "entry_a.ts"),
  ], {
    flags: [
      "--no-prompt",
      `--allow-read=${store},${src}`,
      `--allow-write=${store}`,
    ],
  });
  assertEquals(denied.code, 1);
  assertStringIncludes(
    denied.stderr,
    `run again with --allow-run=${Deno.execPath()}`,
  );
});

/** The code block after `<!-- marker -->` in the README. */
async function readmeBlock(marker: string): Promise<string> {
  const readme = await Deno.readTextFile(
    new URL("../README.md", import.meta.url),
  );
  const at = readme.indexOf(`<!-- ${marker} -->`);
  assert(at >= 0, `README has no ${marker} block`);
  const start = readme.indexOf("\n", readme.indexOf("```", at)) + 1;
  return readme.slice(start, readme.indexOf("\n```", start) + 1);
}

Deno.test("README: the store's five-minute path and library example run as written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tempkit-store-readme-" });
  const env = { TEMPKIT_STORE: join(dir, "store") };
  const sh = (await readmeBlock("store-five-minutes")).replace(
    "jsr:@tempkit/tempkit/cli/store",
    `--config=${DENO_CONFIG} ${CLI}`,
  );
  const shell = await new Deno.Command("bash", {
    args: ["-euc", sh],
    cwd: dir,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(shell.stdout);
  assertEquals(shell.code, 0, new TextDecoder().decode(shell.stderr));
  assertMatch(
    out,
    /^hello\/there\nhello\/world\nok [0-9a-f]{64} {2}hello \(\d+ modules\)\n$/,
  );
  const ts = (await readmeBlock("store-library")).replace(
    "jsr:@tempkit/tempkit/store",
    new URL("../store.ts", import.meta.url).href,
  );
  await Deno.writeTextFile(join(dir, "example.ts"), ts);
  const lib = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${DENO_CONFIG}`,
      "--no-prompt",
      "--allow-run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "example.ts",
    ],
    cwd: dir,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const printed = new TextDecoder().decode(lib.stdout).split("\n");
  assertEquals(lib.code, 0, new TextDecoder().decode(lib.stderr));
  assertMatch(printed[0], /^[0-9a-f]{64} \[\]$/);
  assertEquals(
    printed[1],
    `file://${env.TEMPKIT_STORE}/modules/${printed[0].slice(0, 64)}.ts`,
  );
  assertEquals(printed.slice(2), ["hello/world", "[] true", ""]);
});
