import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { stub } from "@std/testing/mock";
import {
  cleanupOnSignals,
  gettempdir,
  gettempprefix,
  mkdtemp,
  mkdtempSync,
  mkstemp,
  mkstempSync,
  NamedTemporaryFile,
  SpooledTemporaryFile,
  TemporaryDirectory,
  TemporaryFile,
} from "../tempfile.ts";
import {
  DENO_CONFIG,
  have,
  mountTmpfs,
  unprivileged,
  unprivilegedOrSkip,
} from "./_oracle.ts";
import {
  baseOf,
  DENO,
  denoRun,
  exists,
  lineReader,
  mode,
  MODULE,
  NAME,
  scratch,
  writeScript,
} from "./_tempfile.ts";

/**
 * A parent for scratch directories that `--allow-write=/tmp` does not cover,
 * for the tests that grant /tmp and need a directory without a grant.
 */
function outsideTmp(): string {
  try {
    if (Deno.statSync("/var/tmp").isDirectory) return "/var/tmp";
  } catch {
    // fall through
  }
  return Deno.cwd();
}

/**
 * Stubs `crypto.getRandomValues` until disposal: the `call`-th call (from
 * 0) fills its array with `fill(call)`, or real randomness for `undefined`.
 */
function stubRandom(fill: (call: number) => number | undefined) {
  const real = crypto.getRandomValues.bind(crypto);
  let call = 0;
  const fake = (array: Uint8Array) => {
    const byte = fill(call++);
    return byte === undefined ? real(array) : array.fill(byte);
  };
  return stub(crypto, "getRandomValues", fake as typeof real);
}

// ---------------------------------------------------------------------------

Deno.test("mkstemp/mkdtemp: name shape, absolute path, modes, emptiness", async () => {
  using dir = scratch();
  const umask = Deno.umask();
  const files = [
    mkstempSync({ dir: dir.path }),
    await mkstemp({ dir: dir.path }),
  ];
  const dirs = [
    mkdtempSync({ dir: dir.path }),
    await mkdtemp({ dir: dir.path }),
  ];
  for (const path of [...files, ...dirs]) {
    assert(path.startsWith(`${dir.path}/`), path);
    assertMatch(baseOf(path), NAME);
  }
  for (const path of files) {
    const info = Deno.lstatSync(path);
    assert(info.isFile);
    assertEquals(info.size, 0);
    assertEquals(mode(path), 0o600 & ~umask);
  }
  for (const path of dirs) {
    assert(Deno.lstatSync(path).isDirectory);
    assertEquals(mode(path), 0o700 & ~umask);
  }
  assertEquals(new Set([...files, ...dirs]).size, 4);
  assertEquals(gettempprefix(), "tmp");
});

Deno.test("modes: the default and options.mode go to open(2) and mkdir(2), so the umask only removes bits", async () => {
  using dir = scratch();
  const cases: [number, number[]][] = [
    [0o000, [0o600, 0o700, 0o640, 0o750, 0o604, 0o711, 0o644, 0o755]],
    [0o277, [0o400, 0o500, 0o400, 0o500, 0o400, 0o500, 0o400, 0o500]],
  ];
  for (const [umask, want] of cases) {
    const ran = await denoRun(
      dir.path,
      `Deno.umask(${umask});
       const o = { dir: ${JSON.stringify(dir.path)} };
       const bits = (p) => Deno.statSync(p).mode & 0o7777;
       const out = [];
       const paths = [tf.mkstempSync(o), tf.mkdtempSync(o),
         await tf.mkstemp({ ...o, mode: 0o640 }), await tf.mkdtemp({ ...o, mode: 0o750 })];
       out.push(...paths.map(bits));
       for (const p of paths) Deno.removeSync(p);
       { using f = new tf.NamedTemporaryFile({ ...o, mode: 0o604 }); out.push(bits(f.path)); }
       { using d = new tf.TemporaryDirectory({ ...o, mode: 0o711 }); out.push(bits(d.path)); }
       { using t = await tf.TemporaryFile.create({ ...o, mode: 0o644 }); out.push(t.file.statSync().mode & 0o7777); }
       { await using d = await tf.TemporaryDirectory.create({ ...o, mode: 0o755 }); out.push(bits(d.path)); }
       console.log(JSON.stringify(out));`,
      [
        "--no-prompt",
        "--allow-sys",
        `--allow-write=${dir.path}`,
        `--allow-read=${dir.path}`,
      ],
    );
    assertEquals(ran.code, 0, ran.stderr);
    assertEquals(
      JSON.parse(ran.stdout).map((m: number) => `0o${m.toString(8)}`),
      want.map((m) => `0o${m.toString(8)}`),
      `umask 0o${umask.toString(8)}`,
    );
  }
  assertEquals([...Deno.readDirSync(dir.path)].length, 0, "all removed");
});

Deno.test("options: prefix, suffix, empty prefix, URL dir, relative dir, default dir", async () => {
  using dir = scratch();
  const a = mkstempSync({ dir: dir.path, prefix: "pre.", suffix: ".post" });
  assertMatch(baseOf(a), /^pre\.[0-9a-f]{16}\.post$/);
  const b = await mkdtemp({ dir: dir.path, prefix: "", suffix: "~" });
  assertMatch(baseOf(b), /^[0-9a-f]{16}~$/);
  const url = new URL(`file://${dir.path}/with%20space/`);
  Deno.mkdirSync(`${dir.path}/with space`);
  const c = mkstempSync({ dir: url });
  assert(c.startsWith(`${dir.path}/with space/tmp`), c);
  const d = await mkdtemp({ dir: new URL(`file://${dir.path}`) });
  assertEquals(d.slice(0, d.lastIndexOf("/")), dir.path);
  const e = mkstempSync({ dir: `${dir.path}///` });
  assertEquals(e.slice(0, e.lastIndexOf("/")), dir.path);

  const cwd = Deno.cwd();
  Deno.mkdirSync(`${dir.path}/rel`);
  try {
    Deno.chdir(dir.path);
    const f = mkstempSync({ dir: "rel" });
    assert(f.startsWith(`${dir.path}/rel/tmp`), f);
    const g = await mkdtemp({ dir: "." });
    assertEquals(g.slice(0, g.lastIndexOf("/")), dir.path);
  } finally {
    Deno.chdir(cwd);
  }

  const h = mkstempSync();
  try {
    assertEquals(h.slice(0, h.lastIndexOf("/")), gettempdir());
    assertMatch(baseOf(h), NAME);
  } finally {
    Deno.removeSync(h);
  }
});

Deno.test("bad arguments: TypeError naming the function, and nothing created", async () => {
  using dir = scratch();
  const d = dir.path;
  const badOptions: [unknown, RegExp][] = [
    ["x", /options must be an object, got string/],
    [null, /options must be an object, got null/],
    [5, /options must be an object, got number/],
    [{ dir: d, prefix: "a/b" }, /options\.prefix must not contain/],
    [{ dir: d, prefix: "../x" }, /options\.prefix must not contain/],
    [{ dir: d, prefix: "a\\b" }, /options\.prefix must not contain/],
    [{ dir: d, prefix: "a\0b" }, /options\.prefix must not contain/],
    [{ dir: d, suffix: "/" }, /options\.suffix must not contain/],
    [{ dir: d, suffix: "x\\" }, /options\.suffix must not contain/],
    [{ dir: d, suffix: "\0" }, /options\.suffix must not contain/],
    [{ dir: d, prefix: 1 }, /options\.prefix must be a string, got number/],
    [{ dir: d, prefix: null }, /options\.prefix must be a string, got null/],
    [{ dir: d, suffix: [] }, /options\.suffix must be a string, got array/],
    [{ dir: 5 }, /options\.dir must be a string or a file URL, got number/],
    [
      { dir: new URL("https://example.com/") },
      /options\.dir must be a file URL/,
    ],
    [
      { dir: new URL("file://host/x") },
      /options\.dir must be a local file URL, got host host$/,
    ],
    [{ dir: `${d}\0` }, /options\.dir must not contain a NUL/],
    [
      { dir: d, mode: "0o600" },
      /options\.mode must be an integer such as 0o600, got string/,
    ],
    [
      { dir: d, mode: 1.5 },
      /options\.mode must be an integer such as 0o600, got number/,
    ],
    [
      { dir: d, prefx: "a" },
      /unknown option "prefx" \(valid options: dir, prefix, suffix, mode/,
    ],
  ];
  const syncFns: [string, (o: unknown) => unknown][] = [
    ["mkstempSync", (o) => mkstempSync(o as never)],
    ["mkdtempSync", (o) => mkdtempSync(o as never)],
    ["NamedTemporaryFile", (o) => new NamedTemporaryFile(o as never)],
    ["TemporaryDirectory", (o) => new TemporaryDirectory(o as never)],
    ["TemporaryFile", (o) => new TemporaryFile(o as never)],
    ["SpooledTemporaryFile", (o) => new SpooledTemporaryFile(o as never)],
  ];
  const asyncFns: [string, (o: unknown) => Promise<unknown>][] = [
    ["mkstemp", (o) => mkstemp(o as never)],
    ["mkdtemp", (o) => mkdtemp(o as never)],
    ["NamedTemporaryFile.create", (o) => NamedTemporaryFile.create(o as never)],
    ["TemporaryDirectory.create", (o) => TemporaryDirectory.create(o as never)],
    ["TemporaryFile.create", (o) => TemporaryFile.create(o as never)],
    [
      "SpooledTemporaryFile.create",
      (o) => SpooledTemporaryFile.create(o as never),
    ],
  ];
  let cases = 0;
  for (const [opts, message] of badOptions) {
    for (const [fn, call] of syncFns) {
      const err = assertThrows(() => call(opts), TypeError);
      assert(err.message.startsWith(`${fn}: `), err.message);
      assertMatch(err.message, message);
      cases++;
    }
    for (const [fn, call] of asyncFns) {
      const err = await assertRejects(() => call(opts), TypeError);
      assert(err.message.startsWith(`${fn}: `), err.message);
      assertMatch(err.message, message);
      cases++;
    }
  }
  assertEquals(cases, badOptions.length * 12);
  for (const [fn, call] of syncFns) {
    for (const mode of [-1, 0o10000]) {
      assertThrows(
        () => call({ dir: d, mode }),
        RangeError,
        `${fn}: options.mode must be from 0 to 0o7777, got ${
          mode < 0 ? mode : `0o${mode.toString(8)}`
        }`,
      );
    }
  }
  for (const opts of [{ dir: d, delete: "yes" }, { dir: d, delete: 0 }]) {
    assertThrows(
      () => new NamedTemporaryFile(opts as never),
      TypeError,
      "NamedTemporaryFile: options.delete must be a boolean",
    );
    await assertRejects(
      () => TemporaryDirectory.create(opts as never),
      TypeError,
      "TemporaryDirectory.create: options.delete must be a boolean",
    );
  }
  assertThrows(
    () => new TemporaryDirectory({ dir: d, ignoreCleanupErrors: 1 as never }),
    TypeError,
    "options.ignoreCleanupErrors must be a boolean",
  );
  assertEquals([...Deno.readDirSync(d)], [], "nothing was created");

  using tmp = new NamedTemporaryFile({ dir: d });
  assertThrows(
    () => tmp.persist(7 as never),
    TypeError,
    "NamedTemporaryFile.persist: target must be a string or a file URL",
  );
  assert(exists(tmp.path), "a bad persist target leaves the file alone");
});

Deno.test("unknown options: a TypeError naming the function, the key and the valid keys, pointing Python's spellings at ours", async () => {
  using dir = scratch();
  const d = dir.path;
  const cases: [() => unknown, string][] = [
    [
      () =>
        new TemporaryDirectory(
          { dir: d, ignore_cleanup_errors: true } as never,
        ),
      `TemporaryDirectory: unknown option "ignore_cleanup_errors"; did you mean "ignoreCleanupErrors"? (valid options: dir, prefix, suffix, mode, delete, ignoreCleanupErrors)`,
    ],
    [
      () => new SpooledTemporaryFile({ max_size: 10 } as never),
      `SpooledTemporaryFile: unknown option "max_size"; did you mean "maxSize"? (valid options: dir, prefix, suffix, mode, maxSize)`,
    ],
    [
      () => new NamedTemporaryFile({ dir: d, delete_on_close: false } as never),
      `NamedTemporaryFile: unknown option "delete_on_close"; the file is removed when the handle is dropped or disposed, not when the file is closed (valid options: dir, prefix, suffix, mode, delete)`,
    ],
    [
      () => new TemporaryFile({ dir: d, delete: false } as never),
      `TemporaryFile: unknown option "delete"; an anonymous file has no name to keep; use NamedTemporaryFile for one (valid options: dir, prefix, suffix, mode)`,
    ],
    [
      () => mkdtempSync({ dir: d, delete: false } as never),
      `mkdtempSync: unknown option "delete" (valid options: dir, prefix, suffix, mode)`,
    ],
    [
      () => new SpooledTemporaryFile({ maxSize: -1 }),
      `SpooledTemporaryFile: options.maxSize must be between 0 and 2^53 - 1, got -1`,
    ],
  ];
  for (const [call, message] of cases) {
    const err = assertThrows(call, Error);
    assertEquals(err.message, message);
    assertEquals(
      err.name,
      message.includes("maxSize must") ? "RangeError" : "TypeError",
    );
  }
  await assertRejects(
    () => TemporaryFile.create({ dir: d, delete_on_close: true } as never),
    TypeError,
    `TemporaryFile.create: unknown option "delete_on_close"`,
  );
  using tmp = new NamedTemporaryFile({ dir: d });
  assertThrows(
    () => tmp.persist(`${d}/x`, { overwite: false } as never),
    TypeError,
    `NamedTemporaryFile.persist: unknown option "overwite" (valid options: overwrite)`,
  );
  assertThrows(
    () => tmp.persist(`${d}/x`, { overwrite: "no" } as never),
    TypeError,
    "NamedTemporaryFile.persist: options.overwrite must be a boolean",
  );
  assertEquals([...Deno.readDirSync(d)].map((e) => e.name), [baseOf(tmp.path)]);
});

Deno.test("errors name the function and the directory, with the class of Deno's own", async () => {
  using dir = scratch();
  const file = `${dir.path}/a-file`;
  Deno.writeTextFileSync(file, "");
  const missing = `${dir.path}/missing`;
  const sync: [string, string, (o: { dir: string }) => unknown][] = [
    ["mkstempSync", "a file", (o) => mkstempSync(o)],
    ["mkdtempSync", "a directory", (o) => mkdtempSync(o)],
    ["NamedTemporaryFile", "a file", (o) => new NamedTemporaryFile(o)],
    ["TemporaryDirectory", "a directory", (o) => new TemporaryDirectory(o)],
    ["TemporaryFile", "a file", (o) => new TemporaryFile(o)],
    [
      "SpooledTemporaryFile.rolloverSync",
      "a file",
      (o) => new SpooledTemporaryFile(o).rolloverSync(),
    ],
  ];
  const async: [string, string, (o: { dir: string }) => Promise<unknown>][] = [
    ["mkstemp", "a file", (o) => mkstemp(o)],
    ["mkdtemp", "a directory", (o) => mkdtemp(o)],
    [
      "NamedTemporaryFile.create",
      "a file",
      (o) => NamedTemporaryFile.create(o),
    ],
    [
      "TemporaryDirectory.create",
      "a directory",
      (o) => TemporaryDirectory.create(o),
    ],
    ["TemporaryFile.create", "a file", (o) => TemporaryFile.create(o)],
    [
      "SpooledTemporaryFile.write",
      "a file",
      (o) =>
        new SpooledTemporaryFile({ ...o, maxSize: 1 }).write(new Uint8Array(2)),
    ],
  ];
  for (
    const [where, Kind, reason] of [
      [file, Deno.errors.NotADirectory, "Not a directory"],
      [missing, Deno.errors.NotFound, "No such file or directory"],
    ] as const
  ) {
    for (const [fn, what, call] of sync) {
      assertThrows(
        () => call({ dir: where }),
        Kind,
        `${fn}: cannot create ${what} in "${where}": ${reason}`,
      );
    }
    for (const [fn, what, call] of async) {
      await assertRejects(
        () => call({ dir: where }),
        Kind,
        `${fn}: cannot create ${what} in "${where}": ${reason}`,
      );
    }
  }
});

// ---------------------------------------------------------------------------
// Collisions: the stub makes every attempt draw the same name.

const ZEROS = "tmp" + "0".repeat(16);

Deno.test("collisions: 10 attempts, then AlreadyExists naming dir and count; a planted symlink is never followed", async () => {
  using dir = scratch();
  Deno.mkdirSync(`${dir.path}/outside`);
  Deno.writeTextFileSync(`${dir.path}/outside/secret`, "secret");
  Deno.mkdirSync(`${dir.path}/in`);
  const planted = `${dir.path}/in/${ZEROS}`;

  const makers: [string, () => unknown][] = [
    ["mkstempSync", () => mkstempSync({ dir: `${dir.path}/in` })],
    ["mkdtempSync", () => mkdtempSync({ dir: `${dir.path}/in` })],
    [
      "NamedTemporaryFile",
      () => new NamedTemporaryFile({ dir: `${dir.path}/in` }),
    ],
    [
      "TemporaryDirectory",
      () => new TemporaryDirectory({ dir: `${dir.path}/in` }),
    ],
  ];
  for (const target of ["outside/secret", "outside/missing", "outside"]) {
    Deno.symlinkSync(`${dir.path}/${target}`, planted);
    for (const [fn, make] of makers) {
      using random = stubRandom(() => 0);
      const err = assertThrows(make, Deno.errors.AlreadyExists);
      assertEquals(
        err.message,
        `${fn}: no unused name found in "${dir.path}/in" after 10 attempts`,
      );
      assertEquals(random.calls.length, 10, `${fn} makes exactly 10 attempts`);
    }
    for (
      const [fn, make] of [
        ["mkstemp", () => mkstemp({ dir: `${dir.path}/in` })],
        ["mkdtemp", () => mkdtemp({ dir: `${dir.path}/in` })],
        [
          "NamedTemporaryFile.create",
          () => NamedTemporaryFile.create({ dir: `${dir.path}/in` }),
        ],
        [
          "TemporaryDirectory.create",
          () => TemporaryDirectory.create({ dir: `${dir.path}/in` }),
        ],
      ] as [string, () => Promise<unknown>][]
    ) {
      using random = stubRandom(() => 0);
      const err = await assertRejects(make, Deno.errors.AlreadyExists);
      assertEquals(
        err.message,
        `${fn}: no unused name found in "${dir.path}/in" after 10 attempts`,
      );
      assertEquals(random.calls.length, 10);
    }
    assert(Deno.lstatSync(planted).isSymlink);
    Deno.removeSync(planted);
  }
  // The symlinks' targets were never opened, created or written.
  assertEquals(Deno.readTextFileSync(`${dir.path}/outside/secret`), "secret");
  assertEquals(
    [...Deno.readDirSync(`${dir.path}/outside`)].map((e) => e.name),
    ["secret"],
  );
  assertEquals([...Deno.readDirSync(`${dir.path}/in`)], []);
});

Deno.test("collisions: a free name after some taken ones is used; other errors are not retried", async () => {
  using dir = scratch();
  Deno.writeTextFileSync(`${dir.path}/${ZEROS}`, "taken");
  {
    using random = stubRandom((call) => (call < 9 ? 0 : undefined));
    const path = mkstempSync({ dir: dir.path });
    assertEquals(random.calls.length, 10, "the 10th attempt may still succeed");
    assertNotEquals(baseOf(path), ZEROS);
    assertEquals(Deno.readTextFileSync(`${dir.path}/${ZEROS}`), "taken");
  }
  {
    using random = stubRandom((call) => (call < 3 ? 0 : undefined));
    const p = await mkdtemp({ dir: dir.path });
    assertEquals(random.calls.length, 4);
    assertMatch(baseOf(p), NAME);
  }
  using random = stubRandom(() => undefined);
  assertThrows(
    () => mkstempSync({ dir: `${dir.path}/missing` }),
    Deno.errors.NotFound,
  );
  assertEquals(
    random.calls.length,
    1,
    "NotFound is thrown at the first attempt",
  );
  const err = assertThrows(() => mkdtempSync({ dir: `${dir.path}/${ZEROS}` }));
  assert(!(err instanceof Deno.errors.AlreadyExists), String(err));
  assertEquals(random.calls.length, 2, "a file as dir fails at once");
});

// ---------------------------------------------------------------------------
// Handles.

Deno.test("NamedTemporaryFile: read-write file, using and await using, even when the block throws", async () => {
  using dir = scratch();
  let path = "";
  {
    using tmp = new NamedTemporaryFile({ dir: dir.path, suffix: ".txt" });
    path = tmp.path;
    assertMatch(baseOf(path), /^tmp[0-9a-f]{16}\.txt$/);
    assertEquals(mode(path), 0o600 & ~Deno.umask());
    tmp.file.writeSync(new TextEncoder().encode("abc"));
    tmp.file.seekSync(0, Deno.SeekMode.Start);
    const buf = new Uint8Array(3);
    assertEquals(tmp.file.readSync(buf), 3);
    assertEquals(new TextDecoder().decode(buf), "abc");
  }
  assertEquals(exists(path), false);
  {
    await using tmp = await NamedTemporaryFile.create({ dir: dir.path });
    path = tmp.path;
    await tmp.file.write(new Uint8Array([1, 2]));
    assertEquals(await Deno.readFile(path), new Uint8Array([1, 2]));
  }
  assertEquals(exists(path), false);

  assertThrows(
    () => {
      using tmp = new NamedTemporaryFile({ dir: dir.path });
      path = tmp.path;
      throw new Error("boom");
    },
    Error,
    "boom",
  );
  assertEquals(exists(path), false);
  await assertRejects(
    async () => {
      await using tmp = await NamedTemporaryFile.create({ dir: dir.path });
      path = tmp.path;
      throw new Error("async boom");
    },
    Error,
    "async boom",
  );
  assertEquals(exists(path), false);
});

Deno.test("TemporaryDirectory: using and await using, even when the block throws", async () => {
  using dir = scratch();
  let path = "";
  {
    using tmp = new TemporaryDirectory({ dir: dir.path, prefix: "d-" });
    path = tmp.path;
    assertMatch(baseOf(path), /^d-[0-9a-f]{16}$/);
    assert(Deno.lstatSync(path).isDirectory);
    assertEquals(mode(path), 0o700 & ~Deno.umask());
    Deno.mkdirSync(`${path}/a/b`, { recursive: true });
    Deno.writeTextFileSync(`${path}/a/b/f`, "x");
  }
  assertEquals(exists(path), false);
  {
    await using tmp = await TemporaryDirectory.create({ dir: dir.path });
    path = tmp.path;
    assertMatch(baseOf(path), NAME);
    assert(Deno.lstatSync(path).isDirectory);
    assertEquals(mode(path), 0o700 & ~Deno.umask());
    await Deno.writeTextFile(`${path}/f`, "x");
  }
  assertEquals(exists(path), false);
  assertThrows(
    () => {
      using tmp = new TemporaryDirectory({ dir: dir.path });
      path = tmp.path;
      Deno.writeTextFileSync(`${path}/f`, "x");
      throw new Error("boom");
    },
    Error,
    "boom",
  );
  assertEquals(exists(path), false);
  await assertRejects(
    async () => {
      await using tmp = await TemporaryDirectory.create({ dir: dir.path });
      path = tmp.path;
      throw new Error("async boom");
    },
    Error,
    "async boom",
  );
  assertEquals(exists(path), false);
});

Deno.test("delete: false, keep() and persist() leave the file; the file is closed all the same", async () => {
  using dir = scratch();
  const kept: string[] = [];
  let closed: NamedTemporaryFile | undefined;
  {
    using a = new NamedTemporaryFile({ dir: dir.path, delete: false });
    using b = new NamedTemporaryFile({ dir: dir.path });
    await using c = await NamedTemporaryFile.create({ dir: dir.path });
    assertEquals(b.keep(), b.path);
    kept.push(a.path, b.path, c.keep());
    closed = a;
  }
  for (const path of kept) assert(exists(path), path);
  assertThrows(
    () => closed!.file.writeSync(new Uint8Array(1)),
    Deno.errors.BadResource,
    "NamedTemporaryFile.file: the handle was dropped, and its file closed",
  );

  let from = "";
  {
    using tmp = new NamedTemporaryFile({ dir: dir.path });
    from = tmp.path;
    tmp.file.writeSync(new TextEncoder().encode("done"));
    assertEquals(tmp.persist(`${dir.path}/final.txt`), `${dir.path}/final.txt`);
    assertThrows(
      () => tmp.file.writeSync(new Uint8Array(1)),
      Deno.errors.BadResource,
      `NamedTemporaryFile.file: the file was closed when it was persisted to "${dir.path}/final.txt"; open that path to go on`,
    );
  }
  assertEquals(exists(from), false);
  assertEquals(Deno.readTextFileSync(`${dir.path}/final.txt`), "done");
  {
    using tmp = new NamedTemporaryFile({ dir: dir.path });
    const url = new URL(`file://${dir.path}/final%202.txt`);
    assertEquals(tmp.persist(url), `${dir.path}/final 2.txt`);
  }
  assert(exists(`${dir.path}/final 2.txt`));
  {
    // A failed rename leaves the handle armed: the file goes at disposal.
    using tmp = new NamedTemporaryFile({ dir: dir.path });
    from = tmp.path;
    assertThrows(
      () => tmp.persist(`${dir.path}/no/such/dir`),
      Deno.errors.NotFound,
      `NamedTemporaryFile.persist: cannot move "${from}" to "${dir.path}/no/such/dir": No such file or directory; the file is still open at "${from}"`,
    );
    tmp.file.writeSync(new Uint8Array(1)); // still open
  }
  assertEquals(exists(from), false);

  const dirs: string[] = [];
  {
    using a = new TemporaryDirectory({ dir: dir.path, delete: false });
    await using b = await TemporaryDirectory.create({ dir: dir.path });
    dirs.push(a.path, b.keep());
  }
  for (const path of dirs) assert(Deno.statSync(path).isDirectory, path);
});

Deno.test("persist: overwrite false never replaces a target; a failed persist leaves the handle open and armed; a second persist, a directory and another file system are clear errors", async (t) => {
  using dir = scratch();
  const d = dir.path;
  const enc = new TextEncoder();
  Deno.writeTextFileSync(`${d}/taken`, "old");
  Deno.mkdirSync(`${d}/sub`);
  let from = "";
  {
    using tmp = new NamedTemporaryFile({ dir: d });
    from = tmp.path;
    tmp.file.writeSync(enc.encode("new"));
    assertThrows(
      () => tmp.persist(`${d}/taken`, { overwrite: false }),
      Deno.errors.AlreadyExists,
      `NamedTemporaryFile.persist: "${d}/taken" already exists, and overwrite: false never replaces it; the file is still open at "${from}"`,
    );
    assertEquals(Deno.readTextFileSync(`${d}/taken`), "old");
    assertThrows(
      () => tmp.persist(`${d}/sub`),
      Deno.errors.IsADirectory,
      `NamedTemporaryFile.persist: "${d}/sub" is a directory; pass the path of the file to create, such as "${d}/sub/${
        baseOf(from)
      }"; the file is still open at "${from}"`,
    );
    tmp.file.writeSync(enc.encode("!")); // still open
    assert(exists(from), "still there");
  } // still armed: removed
  assertEquals(exists(from), false);
  assertEquals([...Deno.readDirSync(`${d}/sub`)], []);

  {
    using tmp = new NamedTemporaryFile({ dir: d });
    from = tmp.path;
    tmp.file.writeSync(enc.encode("linked"));
    const to = tmp.persist(new URL(`file://${d}/fresh`), { overwrite: false });
    assertEquals(to, `${d}/fresh`);
    assertEquals(exists(from), false, "the temporary name is gone");
    assertEquals(Deno.readTextFileSync(to), "linked");
    assertThrows(
      () => tmp.persist(`${d}/again`),
      Deno.errors.BadResource,
      `NamedTemporaryFile.persist: the file was persisted to "${d}/fresh" already; it is no longer a temporary file (rename that path to move it again)`,
    );
    assertThrows(() => tmp.file, Deno.errors.BadResource, "persisted to");
  }
  assertEquals(Deno.readTextFileSync(`${d}/fresh`), "linked", "not removed");
  {
    using tmp = new NamedTemporaryFile({ dir: d });
    tmp.persist(`${d}/taken`); // overwrite: true replaces
    assertEquals(Deno.readTextFileSync(`${d}/taken`), "");
    const dropped = new NamedTemporaryFile({ dir: d });
    dropped.drop();
    assertThrows(
      () => dropped.persist(`${d}/late`),
      Deno.errors.BadResource,
      "NamedTemporaryFile.persist: the handle was dropped, and its file closed",
    );
  }

  // Another file system: a tmpfs of the test's own.
  using fs = mountTmpfs(64 * 1024);
  if (fs === undefined) {
    await t.step({
      name: "EXDEV skipped: cannot mount a second file system",
      ignore: true,
      fn() {},
    });
    return;
  }
  const other = fs.path;
  for (const overwrite of [true, false]) {
    using tmp = new NamedTemporaryFile({ dir: d });
    from = tmp.path;
    assertThrows(
      () => tmp.persist(`${other}/target`, { overwrite }),
      Error,
      `NamedTemporaryFile.persist: "${other}/target" is on another file system than "${from}", and a file cannot be renamed across file systems; create it on the target's file system instead, with { dir: "${other}" }; the file is still open at "${from}"`,
    );
    tmp.file.writeSync(enc.encode("x"));
  }
  assertEquals([...Deno.readDirSync(other)], []);
});

Deno.test("disposal is idempotent and fine when the file or directory is already gone", async () => {
  using dir = scratch();
  const f = new NamedTemporaryFile({ dir: dir.path });
  f.drop();
  f.drop();
  f[Symbol.dispose]();
  await f[Symbol.asyncDispose]();
  assertEquals(exists(f.path), false);

  const g = await NamedTemporaryFile.create({ dir: dir.path });
  g.file.close(); // the caller closed it
  Deno.removeSync(g.path); // and removed it
  await g[Symbol.asyncDispose]();
  g.drop();

  const d = new TemporaryDirectory({ dir: dir.path });
  Deno.removeSync(d.path);
  d.drop();
  await d[Symbol.asyncDispose]();
  d.drop();

  // Something new at the path after the drop is not touched by a later one.
  const e = new TemporaryDirectory({ dir: dir.path });
  e.drop();
  Deno.mkdirSync(e.path);
  e.drop();
  assert(exists(e.path));
});

Deno.test("TemporaryDirectory: symlinks inside are removed, never followed", async () => {
  using dir = scratch();
  const out = `${dir.path}/outside`;
  Deno.mkdirSync(`${out}/sub`, { recursive: true });
  Deno.writeTextFileSync(`${out}/sub/keep.txt`, "keep");
  Deno.writeTextFileSync(`${out}/file.txt`, "file");
  for (const sync of [true, false]) {
    const tmp = sync
      ? new TemporaryDirectory({ dir: dir.path })
      : await TemporaryDirectory.create({ dir: dir.path });
    Deno.symlinkSync(out, `${tmp.path}/to-dir`);
    Deno.symlinkSync(`${out}/file.txt`, `${tmp.path}/to-file`);
    Deno.mkdirSync(`${tmp.path}/nested`);
    Deno.symlinkSync(`${out}/sub`, `${tmp.path}/nested/to-sub`);
    if (sync) tmp.drop();
    else await tmp[Symbol.asyncDispose]();
    assertEquals(exists(tmp.path), false);
  }
  assertEquals(Deno.readTextFileSync(`${out}/sub/keep.txt`), "keep");
  assertEquals(Deno.readTextFileSync(`${out}/file.txt`), "file");
  assertEquals(Deno.lstatSync(`${dir.path}/outside`).isDirectory, true);
});

Deno.test("TemporaryDirectory: read-only files and directories are removed; ignoreCleanupErrors", async (t) => {
  const wrap = await unprivilegedOrSkip(t);
  if (wrap === undefined) return;
  using dir = scratch();
  const code = `
const base = ${JSON.stringify(dir.path)};
Deno.mkdirSync(base + "/outside");
Deno.writeTextFileSync(base + "/outside/x", "x");
Deno.chmodSync(base + "/outside", 0o555);
function build(root) {
  Deno.mkdirSync(root + "/ro/deeper/none", { recursive: true });
  Deno.writeTextFileSync(root + "/ro/deeper/f", "f");
  Deno.writeTextFileSync(root + "/ro/readonly.txt", "r");
  Deno.chmodSync(root + "/ro/readonly.txt", 0o400);
  Deno.symlinkSync(base + "/outside", root + "/ro/link");
  Deno.chmodSync(root + "/ro/deeper/none", 0o000);
  Deno.chmodSync(root + "/ro/deeper", 0o500);
  Deno.chmodSync(root + "/ro", 0o500);
}
const result = {};
// Control: Deno's own recursive removal fails on this tree.
const control = Deno.makeTempDirSync({ dir: base });
build(control);
try { Deno.removeSync(control, { recursive: true }); result.plain = "removed"; }
catch (e) { result.plain = e.name; }
const a = new tf.TemporaryDirectory({ dir: base });
build(a.path);
a.drop();
const b = await tf.TemporaryDirectory.create({ dir: base });
build(b.path);
await b[Symbol.asyncDispose]();
try { Deno.lstatSync(a.path); result.sync = "left"; } catch { result.sync = "gone"; }
try { Deno.lstatSync(b.path); result.async = "left"; } catch { result.async = "gone"; }
// A parent we may not write to: the error is thrown, or ignored on request.
Deno.mkdirSync(base + "/locked");
const c = new tf.TemporaryDirectory({ dir: base + "/locked" });
const d = new tf.TemporaryDirectory({ dir: base + "/locked", ignoreCleanupErrors: true });
Deno.chmodSync(base + "/locked", 0o500);
try { c.drop(); result.locked = "no error"; } catch (e) { result.locked = e.name; }
d.drop();
result.ignored = "no error";
Deno.chmodSync(base + "/locked", 0o700);
c.drop(); // still armed: tries again, and now succeeds
try { Deno.lstatSync(c.path); result.retry = "left"; } catch { result.retry = "gone"; }
try { Deno.lstatSync(d.path); result.ignoredLeft = "left"; } catch { result.ignoredLeft = "gone"; }
result.outsideMode = Deno.lstatSync(base + "/outside").mode & 0o777;
result.outside = Deno.readTextFileSync(base + "/outside/x");
console.log(JSON.stringify(result));
`;
  const ran = await denoRun(dir.path, code, ["--no-prompt", "-A"], { wrap });
  assertEquals(ran.code, 0, ran.stderr);
  assertEquals(JSON.parse(ran.stdout), {
    plain: "PermissionDenied",
    sync: "gone",
    async: "gone",
    locked: "PermissionDenied",
    ignored: "no error",
    retry: "gone",
    ignoredLeft: "left",
    outsideMode: 0o555,
    outside: "x",
  });
});

Deno.test("TemporaryDirectory: a read-only tree with write access only is a NotCapable naming --allow-read for the scope granted for writing, not a bare PermissionDenied", async (t) => {
  const wrap = await unprivilegedOrSkip(t);
  if (wrap === undefined) return;
  using dir = scratch();
  const code = `
const a = new tf.TemporaryDirectory({ dir: ${JSON.stringify(dir.path)} });
Deno.mkdirSync(a.path + "/ro/sub", { recursive: true });
Deno.chmodSync(a.path + "/ro", 0o500);
const out = [];
for (let i = 0; i < 2; i++) { // still armed after the failure: the same again
  try { a.drop(); out.push("removed"); }
  catch (e) { out.push([e.name, e.message, e.cause?.name ?? null]); }
}
const b = new tf.TemporaryDirectory({ dir: ${
    JSON.stringify(dir.path)
  }, ignoreCleanupErrors: true });
Deno.mkdirSync(b.path + "/ro");
Deno.chmodSync(b.path, 0o500);
b.drop();
out.push("ignored", a.path, b.path);
console.log(JSON.stringify(out));`;
  const ran = await denoRun(dir.path, code, [
    "--no-prompt",
    `--allow-write=${dir.path}`,
  ], { wrap });
  assertEquals(ran.code, 0, ran.stderr);
  const [first, second, ignored, a, b] = JSON.parse(ran.stdout);
  const want = [
    "NotCapable",
    `TemporaryDirectory: read access to "${a}" is not granted (removing it was refused: Permission denied; making the directories inside it writable reads the tree); run again with --allow-read=${dir.path}`,
    "PermissionDenied",
  ];
  assertEquals(first, want);
  assertEquals(second, want);
  assertEquals(ignored, "ignored");
  assert(exists(`${a}/ro/sub`), "left for the caller to grant and retry");
  assert(exists(`${b}/ro`), "ignoreCleanupErrors: left, no error");
});

// ---------------------------------------------------------------------------
// gettempdir and permissions, in subprocesses with scoped flags.

/** True when /var/tmp is a directory this process can create files in. */
function usableVarTmp(): boolean {
  try {
    Deno.removeSync(Deno.makeTempFileSync({ dir: "/var/tmp" }));
    return true;
  } catch {
    return false;
  }
}

const PRINT_TEMPDIR = `
try { console.log(tf.gettempdir()); } catch (e) { console.log(e.name + ": " + e.message); }`;

Deno.test("gettempdir: candidate order under scoped permissions, never reading what is not granted", async () => {
  using dir = scratch(outsideTmp());
  const custom = `${dir.path}/custom`;
  const cwd = `${dir.path}/cwd`;
  Deno.mkdirSync(custom);
  Deno.mkdirSync(cwd);
  const none = { TMPDIR: "", TEMP: "", TMP: "" };
  const env = { ...none, TMPDIR: custom };
  const cases: [string[], Record<string, string>, string | RegExp][] = [
    // TMPDIR readable and writable: it wins.
    [["--allow-env=TMPDIR", `--allow-write=${custom}`], env, custom],
    // Trailing slashes dropped.
    [["--allow-env=TMPDIR", `--allow-write=${custom}`], {
      ...none,
      TMPDIR: `${custom}//`,
    }, custom],
    // TMPDIR set but env not granted: not read, /tmp used.
    [["--allow-write=/tmp"], env, "/tmp"],
    // TMPDIR readable but not writable: not probed, /tmp used.
    [["--allow-env=TMPDIR", "--allow-write=/tmp"], env, "/tmp"],
    // TMPDIR names a missing directory: the probe fails, /tmp used.
    [["--allow-env", "--allow-write"], {
      ...none,
      TMPDIR: `${dir.path}/missing`,
    }, "/tmp"],
    // TEMP and TMP follow TMPDIR.
    [
      ["--allow-env", `--allow-write=${custom}`],
      { ...none, TEMP: custom },
      custom,
    ],
    [
      ["--allow-env", `--allow-write=${custom}`],
      { ...none, TMP: custom },
      custom,
    ],
    // Only /var/tmp is writable (not TMPDIR, not /tmp): the next candidate.
    ...(usableVarTmp()
      ? [[["--allow-write=/var/tmp"], env, "/var/tmp"] as [
        string[],
        Record<string, string>,
        string,
      ]]
      : []),
    // Only the current directory is writable: it is the last resort.
    [[`--allow-write=${cwd}`], env, cwd],
    // A relative TMPDIR is made absolute.
    [
      ["--allow-env=TMPDIR", `--allow-write=${cwd}`],
      { ...none, TMPDIR: "." },
      cwd,
    ],
    // Nothing writable: NotCapable naming the first candidate's flag;
    // TMPDIR is read, so nothing is said about --allow-env.
    [
      ["--allow-env"],
      env,
      /^NotCapable: gettempdir: write access to "[^"]*\/custom" is not granted \(no usable temporary directory among [^ ]*\/custom, \/tmp, \/var\/tmp, \/usr\/tmp, [^ ]*\/cwd\); run again with --allow-write=[^ ]*\/custom$/,
    ],
    // Nothing writable and TMPDIR not read: /tmp named, and what makes
    // TMPDIR count.
    [
      [],
      env,
      /^NotCapable: gettempdir: write access to "\/tmp" is not granted \(no usable temporary directory among \/tmp, \/var\/tmp, \/usr\/tmp, [^ ]*\/cwd; TMPDIR counts only with --allow-env=TMPDIR\); run again with --allow-write=\/tmp$/,
    ],
  ];
  const runs = await Promise.all(
    cases.map(([flags, e]) =>
      denoRun(dir.path, PRINT_TEMPDIR, ["--no-prompt", ...flags], {
        env: e,
        cwd,
      })
    ),
  );
  runs.forEach((ran, i) => {
    const [flags, e, want] = cases[i];
    const label = `${flags.join(" ")} ${JSON.stringify(e)}`;
    assertEquals(ran.code, 0, `${label}: ${ran.stderr}`);
    if (typeof want === "string") assertEquals(ran.stdout.trim(), want, label);
    else assertMatch(ran.stdout.trim(), want, label);
  });
  // The probes left nothing behind.
  assertEquals([...Deno.readDirSync(custom)], []);
  assertEquals([...Deno.readDirSync(cwd)], []);
});

Deno.test("gettempdir: cached for the process", async () => {
  using dir = scratch();
  const ran = await denoRun(
    dir.path,
    `const a = tf.gettempdir(); Deno.env.set("TMPDIR", ${
      JSON.stringify(dir.path)
    });
     console.log(JSON.stringify([a, tf.gettempdir()]));`,
    ["--no-prompt", "--allow-env", "--allow-write"],
    { env: { TMPDIR: "/tmp" } },
  );
  assertEquals(ran.code, 0, ran.stderr);
  assertEquals(JSON.parse(ran.stdout), ["/tmp", "/tmp"]);
});

Deno.test("sandbox denial: NotCapable naming a flag that can be granted ahead of the run, checked before any access", async () => {
  using dir = scratch(outsideTmp());
  // Under /tmp, readable too: a NamedTemporaryFile can be made there.
  using inTmp = scratch("/tmp");
  const farTarget = `${dir.path}/final.txt`;
  const tmpTarget = `/tmp/tempfile_test_persist_${crypto.randomUUID()}`;
  const noClobber = `/tmp/tempfile_test_link_${crypto.randomUUID()}`;
  const code = `
const out = [];
const scratchDir = new tf.TemporaryDirectory({ dir: "/tmp" });
for (const make of [
  () => tf.mkstempSync({ dir: ${JSON.stringify(dir.path)} }),
  () => tf.mkdtemp({ dir: ${JSON.stringify(dir.path)} }),
  () => new tf.NamedTemporaryFile({ dir: "/tmp" }),
  // Inside a TemporaryDirectory: the flag names /tmp, not the random name.
  () => new tf.NamedTemporaryFile({ dir: scratchDir.path }),
  () => tf.TemporaryFile.create({ dir: scratchDir.path }),
]) {
  try { await make(); out.push("created"); }
  catch (e) { out.push([e.name, e.message.replace(scratchDir.path, "<tmp>"), e.cause?.name ?? null]); }
}
scratchDir.drop();
// persist: Deno's rename needs write access to the target, and not read;
// a hard link (overwrite: false) needs read too.
const f = new tf.NamedTemporaryFile({ dir: ${JSON.stringify(inTmp.path)} });
for (const [to, o] of [[${JSON.stringify(farTarget)}, {}], [${
    JSON.stringify(noClobber)
  }, { overwrite: false }]]) {
  try { f.persist(to, o); out.push("persisted"); }
  catch (e) { out.push([e.name, e.message, e.cause?.name ?? null]); }
}
// Refused before anything happened: still open, still armed.
out.push(f.file.writeSync(new Uint8Array([7])));
out.push(f.persist(${JSON.stringify(tmpTarget)}));
f.drop();
out.push([...Deno.readDirSync(${JSON.stringify(inTmp.path)})].length);
console.log(JSON.stringify(out));`;
  const ran = await denoRun(dir.path, code, [
    "--no-prompt",
    "--allow-write=/tmp",
    `--allow-read=${inTmp.path}`,
  ]);
  assertEquals(ran.code, 0, ran.stderr);
  assertEquals(exists(farTarget), false);
  try {
    assertEquals(Deno.readFileSync(tmpTarget), new Uint8Array([7]));
  } finally {
    Deno.removeSync(tmpTarget);
  }
  const d = dir.path;
  assertEquals(JSON.parse(ran.stdout), [
    [
      "NotCapable",
      `mkstempSync: write access to "${d}" is not granted; run again with --allow-write=${d}`,
      null,
    ],
    [
      "NotCapable",
      `mkdtemp: write access to "${d}" is not granted; run again with --allow-write=${d}`,
      null,
    ],
    [
      "NotCapable",
      `NamedTemporaryFile: read access to "/tmp" is not granted; run again with --allow-read=/tmp`,
      null,
    ],
    [
      "NotCapable",
      `NamedTemporaryFile: read access to "<tmp>" is not granted; run again with --allow-read=/tmp`,
      null,
    ],
    [
      "NotCapable",
      `TemporaryFile.create: read access to "<tmp>" is not granted; run again with --allow-read=/tmp`,
      null,
    ],
    [
      "NotCapable",
      `NamedTemporaryFile.persist: write access to "${farTarget}" is not granted; run again with --allow-write=${farTarget}`,
      null,
    ],
    [
      "NotCapable",
      `NamedTemporaryFile.persist: read access to "${noClobber}" is not granted; run again with --allow-read=/tmp`,
      null,
    ],
    1,
    tmpTarget,
    0,
  ]);
});

Deno.test("sandbox denial the queries did not foresee: the flag named, Deno's error as the cause", async () => {
  using dir = scratch();
  const d = dir.path;
  // The grant covers the directory, but --deny-* takes the one name that
  // stubbed randomness draws, and /proc/self is reserved to --allow-all.
  const proc = Deno.build.os === "linux";
  const code = `
Object.defineProperty(crypto, "getRandomValues", {
  configurable: true,
  value: (a) => a.fill(0),
});
const out = [];
for (const make of [
  () => tf.mkstempSync({ dir: ${JSON.stringify(d)} }),
  () => tf.mkdtemp({ dir: ${JSON.stringify(d)} }),
  () => tf.NamedTemporaryFile.create({ dir: ${JSON.stringify(`${d}/r`)} }),
  ${proc ? `() => tf.mkstempSync({ dir: "/proc/self" }),` : ""}
]) {
  try { await make(); out.push("created"); }
  catch (e) {
    out.push([e.name, e.message, e.cause?.name ?? null, e.cause?.message ?? null]);
  }
}
console.log(JSON.stringify(out));`;
  Deno.mkdirSync(`${d}/r`);
  const ran = await denoRun(d, code, [
    "--no-prompt",
    `--allow-read=${d}`,
    `--allow-write=${d}`,
    `--deny-write=${d}/${ZEROS}`,
    `--deny-read=${d}/r/${ZEROS}`,
    ...(proc ? ["--allow-write=/proc/self"] : []),
  ]);
  assertEquals(ran.code, 0, ran.stderr);
  const want: unknown[] = [
    [
      "NotCapable",
      `mkstempSync: write access to "${d}" is not granted; run again with --allow-write=${d}`,
      "NotCapable",
      `Requires write access to "${d}/${ZEROS}", run again with the --allow-write flag`,
    ],
    [
      "NotCapable",
      `mkdtemp: write access to "${d}" is not granted; run again with --allow-write=${d}`,
      "NotCapable",
      `Requires write access to "${d}/${ZEROS}", run again with the --allow-write flag`,
    ],
    [
      "NotCapable",
      `NamedTemporaryFile.create: read access to "${d}/r" is not granted; run again with --allow-read=${d}/r`,
      "NotCapable",
      `Requires read access to "${d}/r/${ZEROS}", run again with the --allow-read flag`,
    ],
  ];
  if (proc) {
    want.push([
      "NotCapable",
      `mkstempSync: Deno reserves "/proc/self" to --allow-all; run again with --allow-all`,
      "NotCapable",
      `Requires all access to "/proc/self/${ZEROS}", run again with the --allow-all flag`,
    ]);
  }
  assertEquals(JSON.parse(ran.stdout), want);
  assertEquals([...Deno.readDirSync(d)].map((e) => e.name), ["r"]);
  assertEquals([...Deno.readDirSync(`${d}/r`)], []);
});

Deno.test("no prompt on a terminal: gettempdir, mkstemp, persist and read-only removal with scoped permissions never ask", async (t) => {
  if (!have("script")) {
    t.step({ name: "skipped: no script(1)", ignore: true, fn() {} });
    return;
  }
  using dir = scratch();
  // Where the read-only trees are built: under /tmp, which the runs grant.
  using trees = scratch("/tmp");
  const code = `
const d = tf.gettempdir();
const f = tf.mkstempSync(); Deno.removeSync(f);
const g = await tf.mkstemp(); await Deno.remove(g);
{ using t = new tf.TemporaryDirectory(); }
console.log("done " + d);`;
  const script = `${dir.path}/noprompt.ts`;
  Deno.writeTextFileSync(
    script,
    `import * as tf from ${JSON.stringify(MODULE)};\n${code}\n`,
  );
  // Creation where the grant is missing: Deno would ask for one random name
  // (and a "yes" would cover only that name), so it must fail at once.
  const denied = `${dir.path}/denied.ts`;
  Deno.writeTextFileSync(
    denied,
    `import * as tf from ${JSON.stringify(MODULE)};
for (const make of [
  () => tf.mkstempSync({ dir: "/var/tmp" }),
  () => tf.mkdtemp({ dir: "/var/tmp" }),
  () => new tf.NamedTemporaryFile({ dir: "/tmp" }),
  () => {
    using f = new tf.NamedTemporaryFile({ dir: ${JSON.stringify(dir.path)} });
    f.persist("/var/tmp/tempfile_test_persisted");
  },
]) {
  try { await make(); console.log("created"); }
  catch (e) { console.log(e.name + ": " + e.message); }
}\n`,
  );
  // Removing a read-only tree restores owner access, which reads the tree:
  // with write access only, that must fail naming --allow-read, not ask;
  // and the handles left armed must not ask at unload either.
  const readOnly = `${dir.path}/readonly.ts`;
  Deno.writeTextFileSync(
    readOnly,
    `import * as tf from ${JSON.stringify(MODULE)};
const base = ${JSON.stringify(trees.path)};
function build(root) {
  Deno.mkdirSync(root + "/ro/sub", { recursive: true });
  Deno.writeTextFileSync(root + "/ro/sub/f", "f");
  Deno.chmodSync(root + "/ro", 0o500);
}
const report = (how, e) =>
  console.log(how + " " + e.name + ": " + e.message + " | cause " + e.cause?.name);
const a = new tf.TemporaryDirectory({ dir: base });
build(a.path);
try { a.drop(); console.log("sync removed"); } catch (e) { report("sync", e); }
const b = await tf.TemporaryDirectory.create({ dir: base });
build(b.path);
try { await b[Symbol.asyncDispose](); console.log("async removed"); } catch (e) { report("async", e); }
try {
  using c = new tf.TemporaryDirectory({ dir: base });
  build(c.path);
} catch (e) { report("using", e); }
const d = new tf.TemporaryDirectory({ dir: base, ignoreCleanupErrors: true });
build(d.path);
d.drop();
console.log("ignored");
// a, b and c are still armed: unload tries them again.
console.log("end");\n`,
  );
  // Its control: a plain lstat under the same flags does ask.
  const readControl = `${dir.path}/read_control.ts`;
  Deno.writeTextFileSync(
    readControl,
    `Deno.lstatSync(${JSON.stringify(trees.path)});\n`,
  );
  // As root, drop the capabilities that bypass mode bits (see unprivileged).
  const wrap = unprivileged();
  const control = `${dir.path}/control.ts`;
  Deno.writeTextFileSync(control, `console.log(Deno.env.get("TMPDIR"));\n`);
  // No --no-prompt: under a pseudo-terminal a prompt would wait for an answer
  // until `timeout` kills it. `--foreground` keeps Deno in the terminal's
  // foreground process group: otherwise, when script(1) runs the command
  // through a shell that forks rather than execs (dash, its fallback when
  // SHELL is unset, as in CI), the prompt's first terminal access stops the
  // process with SIGTTOU and nothing is ever printed. SHELL is pinned to that
  // case so the test behaves the same everywhere.
  const pty = (args: string, secs: number, prefix: string[] = []) =>
    new Deno.Command("script", {
      args: [
        "-qec",
        `timeout --foreground ${secs} ${
          [...prefix, DENO].join(" ")
        } run --config ${DENO_CONFIG} ${args}`,
        "/dev/null",
      ],
      env: { NO_COLOR: "1", TMPDIR: dir.path, SHELL: "/bin/sh" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  const [scoped, none, deny, ctl, ro, roCtl] = await Promise.all([
    pty(`--allow-write=/tmp ${script}`, 15),
    pty(`--allow-env=HOME ${script}`, 15),
    pty(`--allow-write=/tmp --allow-read=${dir.path} ${denied}`, 15),
    pty(control, 3),
    wrap && pty(`--allow-write=/tmp ${readOnly}`, 15, wrap),
    wrap && pty(`--allow-write=/tmp ${readControl}`, 3, wrap),
  ]);
  const text = (o: Deno.CommandOutput) => new TextDecoder().decode(o.stdout);
  // The control proves a prompt is seen: it asks for env access and hangs.
  assertMatch(text(ctl), /Deno requests env access/);
  assertNotEquals(ctl.code, 0);
  assertEquals(scoped.code, 0, text(scoped));
  assertMatch(text(scoped), /^done \/tmp\s*$/);
  assertNotMatch(text(scoped), /requests/);
  // With nothing writable, gettempdir fails at once instead of asking.
  assertNotEquals(none.code, 0);
  assertMatch(
    text(none),
    /NotCapable: gettempdir: write access to "\/tmp" is not granted \(no usable temporary directory among \/tmp, \/var\/tmp, \/usr\/tmp, [^ ]+; TMPDIR counts only with --allow-env=TMPDIR\); run again with --allow-write=\/tmp/,
  );
  assertNotMatch(text(none), /requests/);
  assertEquals(deny.code, 0, text(deny));
  assertNotMatch(text(deny), /requests|created/);
  assertEquals(
    text(deny).match(
      /NotCapable: [\w.]+: (read|write) access to "[^"]+" is not granted/g,
    )?.length,
    4,
    text(deny),
  );
  assertMatch(
    text(deny),
    /NamedTemporaryFile\.persist: write access to "\/var\/tmp\/tempfile_test_persisted" is not granted; run again with --allow-write=\/var\/tmp\/tempfile_test_persisted/,
  );
  if (!ro || !roCtl) {
    t.step({
      name: "read-only tree skipped: root without setpriv",
      ignore: true,
      fn() {},
    });
    return;
  }
  assertMatch(text(roCtl), /Deno requests read access/);
  assertNotEquals(roCtl.code, 0);
  const out = text(ro);
  assertEquals(ro.code, 0, out);
  assertNotMatch(out, /requests/);
  const lines = out.trim().split(/\r?\n/);
  const denial = (how: string) =>
    new RegExp(
      `^${how} NotCapable: TemporaryDirectory: read access to "${trees.path}/tmp[0-9a-f]{16}" is not granted \\(removing it was refused: Permission denied; making the directories inside it writable reads the tree\\); run again with --allow-read=/tmp \\| cause PermissionDenied$`,
    );
  assertEquals(lines.length, 5, out);
  assertMatch(lines[0], denial("sync"));
  assertMatch(lines[1], denial("async"));
  assertMatch(lines[2], denial("using"));
  assertEquals(lines.slice(3), ["ignored", "end"]);
  // Nothing was removed: the trees are all still there, read-only.
  const left = [...Deno.readDirSync(trees.path)];
  assertEquals(left.length, 4);
  for (const e of left) assertEquals(mode(`${trees.path}/${e.name}/ro`), 0o500);
});

// ---------------------------------------------------------------------------
// The unload safety net.

Deno.test("exit cleanup: armed handles go at a normal end and at Deno.exit(), not after an uncaught error", async () => {
  using dir = scratch();
  const code = (base: string, ending: string) => `
const base = ${JSON.stringify(base)};
const f = new tf.NamedTemporaryFile({ dir: base, prefix: "armed-f-" });
const d = await tf.TemporaryDirectory.create({ dir: base, prefix: "armed-d-" });
Deno.writeTextFileSync(d.path + "/inner", "x");
new tf.NamedTemporaryFile({ dir: base, prefix: "kept-f-" }).keep();
new tf.TemporaryDirectory({ dir: base, prefix: "kept-d-", delete: false });
const gone = new tf.NamedTemporaryFile({ dir: base, prefix: "dropped-" });
gone.drop();
await Deno.writeTextFile(gone.path, "recreated"); // not ours any more: stays
${ending}`;
  const endings: [string, string, number][] = [
    ["normal", "", 0],
    ["exit", "Deno.exit(3);", 3],
    ["throw", "throw new Error('uncaught');", 1],
    [
      "using",
      "{ using u = new tf.NamedTemporaryFile({ dir: base, prefix: 'using-' }); throw new Error('uncaught'); }",
      1,
    ],
  ];
  for (const [name, ending, status] of endings) {
    const sub = `${dir.path}/${name}`;
    Deno.mkdirSync(sub);
    const ran = await denoRun(sub, code(sub, ending), [
      "--no-prompt",
      `--allow-read=${sub}`,
      `--allow-write=${sub}`,
    ]);
    assertEquals(ran.code, status, `${name}: ${ran.stderr}`);
    const left = [...Deno.readDirSync(sub)].map((e) =>
      e.name.replace(/[0-9a-f]{16}$/, "")
    ).sort();
    const survivors = ["dropped-", "kept-d-", "kept-f-"];
    // After an uncaught error Deno skips \`unload\`: only what a \`using\`
    // block disposed on the way out is gone.
    const uncaught = name === "throw" || name === "using";
    const want = uncaught ? ["armed-d-", "armed-f-", ...survivors] : survivors;
    assertEquals(left, want, name);
  }
});

Deno.test("cleanupOnSignals: real signals remove armed handles and exit 128 + signo; without it (or once disposed) they stay", async (t) => {
  if (Deno.build.os === "windows") {
    await t.step({ name: "skipped: POSIX signals", ignore: true, fn() {} });
    return;
  }
  using dir = scratch();
  const cases: [string, string, Deno.Signal, number, boolean][] = [
    ["none", "", "SIGINT", 130, false],
    ["sigint", "tf.cleanupOnSignals();", "SIGINT", 130, true],
    ["sigterm", "tf.cleanupOnSignals();", "SIGTERM", 143, true],
    ["sighup", "tf.cleanupOnSignals();", "SIGHUP", 129, true],
    ["chosen", 'tf.cleanupOnSignals(["SIGTERM"]);', "SIGINT", 130, false],
    ["disposed", "{ using _s = tf.cleanupOnSignals(); }", "SIGINT", 130, false],
  ];
  const runs = cases.map(async ([name, setup, signal, code, removed]) => {
    const sub = `${dir.path}/${name}`;
    Deno.mkdirSync(sub);
    const script = writeScript(
      dir.path,
      `${setup}
const f = new tf.NamedTemporaryFile({ dir: ${JSON.stringify(sub)} });
const d = new tf.TemporaryDirectory({ dir: ${JSON.stringify(sub)} });
Deno.writeTextFileSync(d.path + "/inner", "x");
console.log(JSON.stringify([f.path, d.path]));
setTimeout(() => {}, 20000);`,
    );
    const child = new Deno.Command(DENO, {
      args: [
        "run",
        "--config",
        DENO_CONFIG,
        "--no-prompt",
        `--allow-read=${sub}`,
        `--allow-write=${sub}`,
        script,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const paths: string[] = JSON.parse(await lineReader(child.stdout)() ?? "");
    child.kill(signal);
    const status = await child.status;
    assertEquals(status.code, code, `${name}: exit status`);
    for (const path of paths) {
      assertEquals(exists(path), !removed, `${name}: ${path}`);
    }
    assertEquals(paths.length, 2);
  });
  await Promise.all(runs);
  assertThrows(
    () => cleanupOnSignals("SIGINT" as never),
    TypeError,
    "cleanupOnSignals: signals must be an array of signal names, got string",
  );
  assertThrows(
    () => cleanupOnSignals(["SIGWINCH"]),
    TypeError,
    `cleanupOnSignals: "SIGWINCH" is not a signal it handles (signals that end a process: SIGHUP, SIGINT,`,
  );
});

// ---------------------------------------------------------------------------
// Concurrency across processes.

Deno.test("4 processes x 200 files in one directory at once: no collision", async () => {
  using dir = scratch();
  const code = `
const dir = ${JSON.stringify(dir.path)};
const out = [];
for (let i = 0; i < 100; i++) out.push(tf.mkstempSync({ dir }));
out.push(...await Promise.all(Array.from({ length: 100 }, () => tf.mkstemp({ dir }))));
console.log(out.join("\\n"));`;
  const runs = await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        denoRun(dir.path, code, ["--no-prompt", `--allow-write=${dir.path}`]),
    ),
  );
  const paths: string[] = [];
  for (const ran of runs) {
    assertEquals(ran.code, 0, ran.stderr);
    paths.push(...ran.stdout.trim().split("\n"));
  }
  assertEquals(paths.length, 800);
  assertEquals(new Set(paths).size, 800);
  const onDisk = [...Deno.readDirSync(dir.path)].filter((e) =>
    NAME.test(e.name)
  );
  assertEquals(onDisk.length, 800);
});
