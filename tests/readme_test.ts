// The README's tables, checked against the code: a row that no longer says
// what the code does fails here. (Its code blocks run as doc tests.)
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
} from "@std/assert";
import * as tk from "../mod.ts";
import { DENO_CONFIG, findPython } from "./_oracle.ts";

const README = Deno.readTextFileSync(new URL("../README.md", import.meta.url));

/** The rows of the Markdown table right after `heading`, cells trimmed. */
function table(heading: string): string[][] {
  const at = README.indexOf(`\n${heading}\n`);
  assert(at >= 0, `README has no "${heading}" section`);
  const lines = README.slice(at).split("\n");
  const start = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(1, -1).split(" | ").map((c) => c.trim()));
  }
  assert(rows.length > 0, `the "${heading}" table is empty`);
  return rows;
}

/** The text of the first code span of `cell`. */
function code(cell: string): string | undefined {
  return /`([^`]*)`/.exec(cell)?.[1];
}

/** A cell's file content: `a\nb` with the escapes read, or "zero bytes". */
function bytesOf(cell: string): string {
  if (cell === "zero bytes") return "";
  return JSON.parse(`"${cell}"`);
}

Deno.test("README: every row of the text-semantics table is what stdfs does", async () => {
  const rows = table("## Text semantics of `stdfs`");
  const dir = await Deno.makeTempDir();
  try {
    for (const [callCell, diskCell, resultCell] of rows) {
      const call = code(callCell)!;
      const p = `${dir}/t.txt`;
      await Deno.remove(p).catch(() => {});
      // "before → after" for the appending calls, else one state.
      const [before, after] = (diskCell.match(/`[^`]*`|zero bytes/g) ?? [])
        .map((c) => bytesOf(c.replaceAll("`", "")));
      const reads = /^read/.test(call);
      if (reads || after !== undefined) {
        await Deno.writeTextFile(p, before);
      }
      const result = await new Function("s", "p", `return s.${call};`)(tk, p);
      const disk = await Deno.readTextFile(p);
      if (reads) {
        const expected = JSON.parse(code(resultCell)!);
        assertEquals(result, expected, `${call} on ${diskCell}`);
      } else {
        assertEquals(disk, after ?? before, `${call}: ${resultCell}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** What `code` prints, run in a child with no permissions at all. */
async function unpermitted(dir: string, code: string): Promise<string> {
  const script = `${dir}/child.ts`;
  const mod = JSON.stringify(import.meta.resolve("../mod.ts"));
  await Deno.writeTextFile(script, `import * as tk from ${mod};\n${code}\n`);
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", DENO_CONFIG, "--no-prompt", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(child.stdout);
}

/** Calls `fn` and returns what it threw (a failure when it threw nothing). */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

Deno.test("README: every row of the errors table is thrown as it says", async () => {
  await using dir = await tk.TemporaryDirectory.create();
  const file = `${dir.path}/f.txt`;
  await Deno.writeTextFile(file, "0123456789");
  const stdfsCode = async (code: string, fn: () => unknown) => {
    const err = await thrown(fn);
    assertInstanceOf(err, tk.StdfsError);
    assertEquals(err.code, code);
  };
  const checks: Record<string, () => Promise<void>> = {
    "`TypeError`": async () => {
      assertInstanceOf(
        await thrown(() => tk.mkstempSync({ prefix: "a/b" })),
        TypeError,
      );
      assertInstanceOf(
        await thrown(() => new tk.Random(1).randrange(1.5)),
        TypeError,
      );
    },
    "`RangeError`": async () => {
      assertInstanceOf(
        await thrown(() => new tk.Random(1).choice([])),
        RangeError,
      );
      assertInstanceOf(
        await thrown(() => new tk.Random(1).randbytes(-1)),
        RangeError,
      );
    },
    "`Deno.errors.AlreadyExists`": async () => {
      using a = new tk.NamedTemporaryFile({ dir: dir.path });
      const err = await thrown(() => a.persist(file, { overwrite: false }));
      assertInstanceOf(err, Deno.errors.AlreadyExists);
    },
    "`Deno.errors.NotCapable`": async () => {
      const out = await unpermitted(
        dir.path,
        `try { tk.mkstempSync({ dir: "/tmp" }); } catch (e) { console.log(e.name, e.message); }`,
      );
      assertMatch(out, /^NotCapable .*--allow-write=\/tmp/);
    },
    "`Deno.errors.BadResource`": async () => {
      const handle = new tk.NamedTemporaryFile({ dir: dir.path });
      handle.drop();
      assertInstanceOf(
        await thrown(() => handle.file),
        Deno.errors.BadResource,
      );
    },
    "`StdfsError` `OPEN_FAIL`": () =>
      stdfsCode("OPEN_FAIL", () => tk.readFile(`${dir.path}/missing`)),
    "`StdfsError` `REMOVE_FAIL`": () =>
      stdfsCode("REMOVE_FAIL", () => tk.remove(`${file}/`)),
    "`StdfsError` `NOT_WIRED`": async () => {
      const out = await unpermitted(
        dir.path,
        `try { await tk.readFile(${
          JSON.stringify(file)
        }); } catch (e) { console.log(e.code, e.message); }`,
      );
      assertMatch(out, /^NOT_WIRED .*--allow-read=/);
    },
    "`StdfsError` `READ_TRUNCATED`": () =>
      stdfsCode("READ_TRUNCATED", () => tk.readBytes(file, { maxBytes: 4 })),
    "`StdfsError` `DECODE_FAIL`": async () => {
      await Deno.writeFile(`${dir.path}/bad.txt`, new Uint8Array([0xff]));
      await stdfsCode("DECODE_FAIL", () => tk.readFile(`${dir.path}/bad.txt`));
    },
    "`StoreError`": async () => {
      const store = await tk.ModuleStore.open(`${dir.path}/store`);
      const err = await thrown(() => store.load("0".repeat(64)));
      assertInstanceOf(err, tk.StoreError);
      assertEquals(err.code, "NOT_FOUND");
    },
  };
  for (const [name] of table("## Errors")) {
    assert(name in checks, `no check for the README's errors row ${name}`);
    await checks[name]();
  }
});

/** One row of the permissions table: the calls, and the grants they need. */
interface PermissionCheck {
  /** Flags that must be enough, given `d` (a scratch directory). */
  flags: (d: string) => string[];
  /** Statements, each printing `ok` or what it threw; `d` and `tk` are bound. */
  calls: (d: string) => string[];
  /** What each call throws with no flags at all (`null`: it succeeds). */
  without: RegExp | null;
}

const PERMISSION_CHECKS: Record<string, PermissionCheck> = {
  "`path.*`, `Random`, `random.*` (seeded)": {
    flags: () => [],
    calls: () => [
      `tk.join(tk.dirname("/a/b"), tk.basename("c/"))`,
      `new tk.Random(1).random()`,
      `tk.random.seed(1), tk.random.randint(1, 6)`,
    ],
    without: null,
  },
  '`new Random(seed, { math: "system" })` (libm through FFI)': {
    flags: () => ["--allow-ffi"],
    calls: () => [`new tk.Random(1, { math: "system" }).gauss()`],
    without: /^NotCapable: .*--allow-ffi/,
  },
  "`gettempdir()`": {
    flags: () => ["--allow-write=/tmp"],
    calls: () => [`tk.gettempdir()`],
    without: /^NotCapable: .*--allow-env=TMPDIR.*--allow-write=\/tmp/,
  },
  "`mkstemp`, `mkdtemp`, `TemporaryDirectory`": {
    flags: (d) => [`--allow-write=${d}`],
    calls: (d) => [
      `tk.mkstempSync({ dir: ${d} })`,
      `await tk.mkdtemp({ dir: ${d} })`,
      `new tk.TemporaryDirectory({ dir: ${d} }).drop()`,
    ],
    without: /^NotCapable: .*--allow-write=/,
  },
  "`NamedTemporaryFile`, `TemporaryFile`, `SpooledTemporaryFile` (at its rollover)":
    {
      flags: (d) => [`--allow-read=${d}`, `--allow-write=${d}`],
      calls: (d) => [
        `new tk.NamedTemporaryFile({ dir: ${d} }).drop()`,
        `new tk.TemporaryFile({ dir: ${d} }).drop()`,
        `new tk.SpooledTemporaryFile({ dir: ${d}, maxSize: 1 }).rolloverSync()`,
      ],
      without: /^NotCapable: .*--allow-(read|write)=/,
    },
  "`stdfs` reads (`readFile`, `readBytes`, `lines`, `exists`, `size`)": {
    flags: (d) => [`--allow-read=${d}`],
    calls: (d) => [
      `await tk.readFile(${d} + "/given.txt")`,
      `await tk.readBytes(${d} + "/given.txt")`,
      `await Array.fromAsync(tk.lines(${d} + "/given.txt"))`,
      `await tk.exists(${d} + "/given.txt")`,
      `await tk.size(${d} + "/given.txt")`,
    ],
    without: /^StdfsError: NOT_WIRED .*--allow-read=/,
  },
  "`stdfs` writes (`writeFile`, `append`, `writeBytes`, `remove`, …)": {
    flags: (d) => [`--allow-read=${d}`, `--allow-write=${d}`],
    calls: (d) => [
      `await tk.writeFile(${d} + "/w.txt", "x")`,
      `await tk.append(${d} + "/w.txt", "y")`,
      `await tk.writeFile(${d} + "/w.txt", "z", { atomic: true })`,
      `await tk.writeBytes(${d} + "/w.bin", new Uint8Array(1))`,
      `await tk.remove(${d} + "/w.bin")`,
    ],
    without: /^StdfsError: NOT_WIRED .*--allow-(read|write)=/,
  },
  "`available(path)`": {
    flags: () => [],
    calls: () => [`if (tk.available("/tmp")) throw new Error("granted?")`],
    without: null,
  },
  "`ModuleStore`": {
    flags: (d) => [`--allow-read=${d}`],
    calls: (d) => [
      `await (await tk.ModuleStore.open(${d} + "/store")).load("given")`,
    ],
    without: /^NotCapable: .*--allow-read=/,
  },
};

Deno.test("README: every row of the permissions table needs the grants it names, and fails as it says without them", async () => {
  await using dir = await tk.TemporaryDirectory.create();
  const d = dir.path;
  await Deno.writeTextFile(`${d}/given.txt`, "a\nb\n");
  await Deno.writeTextFile(`${d}/given.ts`, `export const given = 1;\n`);
  const store = await tk.ModuleStore.open(`${d}/store`);
  await store.ingest(`${d}/given.ts`, { name: "given", config: false });
  const rows = table("## Permissions").map(([name]) => name);
  const run = async (flags: string[], calls: string[]) => {
    const script = `${d}/permissions_${crypto.randomUUID()}.ts`;
    const mod = JSON.stringify(import.meta.resolve("../mod.ts"));
    const body = calls.map((call) =>
      `try { await (async () => { ${call}; })(); console.log("ok"); } ` +
      `catch (e) { console.log(e.name + ": " + (e.code ? e.code + " " : "") + e.message); }`
    ).join("\n");
    await Deno.writeTextFile(script, `import * as tk from ${mod};\n${body}\n`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--config", DENO_CONFIG, "--no-prompt", ...flags, script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert(out.success, new TextDecoder().decode(out.stderr));
    return text.trimEnd().split("\n");
  };
  for (const name of rows) {
    const check = PERMISSION_CHECKS[name];
    assert(check, `no check for the README's permissions row ${name}`);
    const calls = check.calls(JSON.stringify(d));
    assertEquals(await run(check.flags(d), calls), calls.map(() => "ok"), name);
    for (const line of await run([], calls)) {
      if (check.without === null) assertEquals(line, "ok", name);
      else assertMatch(line, check.without, name);
    }
  }
});

Deno.test("README: the CPython session it quotes is what CPython prints", async (t) => {
  const python = findPython();
  if (python === undefined) {
    await t.step({
      name: "skipped: no python3 on PATH",
      ignore: true,
      fn() {},
    });
    return;
  }
  const block = /```python\n([\s\S]*?)```/.exec(README);
  assert(block, "README has no python block");
  await using dir = await tk.TemporaryDirectory.create();
  const session = `${dir.path}/session.txt`;
  await Deno.writeTextFile(session, block[1]);
  // doctest runs each ">>>" line and compares what it prints.
  const out = await new Deno.Command(python.cmd, {
    args: ["-m", "doctest", "-v", session],
    env: python.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert(out.success, text);
  // 3.13 says "6 passed.", 3.11 "6 passed and 0 failed."
  assertMatch(text, /^6 passed( and 0 failed)?\.$/m);
});
