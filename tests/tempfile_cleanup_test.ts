// TemporaryDirectory's removal under attack and at the edges: a second user
// racing the cleanup with RENAME_EXCHANGE swaps, names that are not UTF-8,
// trees deeper than the descriptor limit and than PATH_MAX.
import { assert, assertEquals } from "@std/assert";
import { have, unprivileged } from "./_oracle.ts";
import {
  denoArgv,
  denoRun,
  exists,
  lineReader,
  mode,
  scratch,
  writeScript,
} from "./_tempfile.ts";

/** A uid no account on the machine uses: the attacker. */
const ATTACKER = 64_123;
const ROUNDS = 40;

/** Compiles `tests/<name>.c` into `dir`; undefined without gcc. */
function compile(name: string, dir: string): string | undefined {
  if (!have("gcc")) return undefined;
  const out = `${dir}/${name}`;
  const source = new URL(`./${name}.c`, import.meta.url).pathname;
  const cc = new Deno.Command("gcc", {
    args: ["-O2", "-o", out, source],
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  if (!cc.success) throw new Error(new TextDecoder().decode(cc.stderr));
  return out;
}

Deno.test("TemporaryDirectory: a second user swapping a directory for a symlink during cleanup never gets a directory outside the tree chmod-ed", async (t) => {
  const wrap = unprivileged();
  if (Deno.uid() !== 0 || wrap === undefined) {
    await t.step({
      name: "skipped: needs root and setpriv to run two users",
      ignore: true,
      fn() {},
    });
    return;
  }
  using base = scratch();
  Deno.chmodSync(base.path, 0o755);
  const helper = compile("swap_race", base.path);
  if (helper === undefined) {
    await t.step({ name: "skipped: no gcc", ignore: true, fn() {} });
    return;
  }
  // The victim's private directory, outside the temporary tree.
  const secret = `${base.path}/secret`;
  Deno.mkdirSync(secret);
  Deno.chmodSync(secret, 0o700);
  // Shared like /tmp: world-writable and sticky.
  const shared = `${base.path}/shared`;
  Deno.mkdirSync(shared);
  Deno.chmodSync(shared, 0o1777);

  // The victim runs as root without the capabilities that bypass modes, so
  // it is an ordinary owner to the kernel. Each round it makes a
  // TemporaryDirectory that another user may write in, prints its path,
  // waits for the attacker to be in place, and drops it.
  const victim = writeScript(
    base.path,
    `
const next = (() => {
  const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  return async () => {
    while (!buf.includes("\\n")) {
      const { value, done } = await reader.read();
      if (done) return undefined;
      buf += value;
    }
    const line = buf.slice(0, buf.indexOf("\\n"));
    buf = buf.slice(buf.indexOf("\\n") + 1);
    return line;
  };
})();
for (;;) {
  const tmp = new tf.TemporaryDirectory({ dir: ${
      JSON.stringify(shared)
    }, ignoreCleanupErrors: true });
  Deno.chmodSync(tmp.path, 0o777);
  console.log(tmp.path);
  if (await next() === undefined) { Deno.removeSync(tmp.keep()); break; }
  tmp.drop();
  console.log("dropped");
}`,
  );
  const [cmd, args] = denoArgv(victim, [
    "--no-prompt",
    `--allow-read=${base.path}`,
    `--allow-write=${base.path}`,
  ], wrap);
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const fromVictim = lineReader(child.stdout);
  const toVictim = child.stdin.getWriter();
  let swaps = 0;
  let lostIn: number | undefined;
  let lostMode = 0o700;
  try {
    for (let round = 1; round <= ROUNDS && lostIn === undefined; round++) {
      const root = await fromVictim() ?? "";
      assert(root.startsWith(`${shared}/tmp`), `victim said ${root}`);
      const attacker = new Deno.Command("setpriv", {
        args: [
          `--reuid=${ATTACKER}`,
          `--regid=${ATTACKER}`,
          "--clear-groups",
          helper,
          root,
          secret,
        ],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const fromAttacker = lineReader(attacker.stdout);
      assertEquals(await fromAttacker(), "ready");
      await toVictim.write(new TextEncoder().encode("go\n"));
      assertEquals(await fromVictim(), "dropped");
      attacker.kill("SIGTERM");
      swaps += Number(await fromAttacker());
      await attacker.status;
      lostMode = mode(secret);
      if (lostMode !== 0o700) lostIn = round;
    }
  } finally {
    await toVictim.close();
    await child.status;
    Deno.chmodSync(secret, 0o700);
  }
  assert(swaps > ROUNDS, `the attacker really swapped (${swaps} swaps)`);
  assertEquals(
    lostIn,
    undefined,
    `the victim's directory outside the tree became 0o${
      lostMode.toString(8)
    } in round ${lostIn} of ${ROUNDS} (${swaps} swaps)`,
  );
  assert(exists(secret));
});

// ---------------------------------------------------------------------------
// Names that are not UTF-8. Deno lists them with U+FFFD and takes no raw
// bytes, so such a name cannot be passed back to chmod, rename or lstat.

/** Builds, with sh (which keeps bytes as they are), entries in `$1`. */
const BAD_NAMES = {
  // A read-only directory with a non-UTF-8 name: it needs a chmod by name.
  readOnly:
    `b=$(printf '\\377\\376bad'); mkdir "$b" && echo x > "$b/f" && chmod 500 "$b"`,
  // A writable directory with a non-UTF-8 name above a read-only one.
  above:
    `w=$(printf '\\375w'); mkdir "$w" "$w/ro" && echo x > "$w/ro/f" && chmod 500 "$w/ro"`,
  // A read-only directory with a good name, beside them: it goes.
  good: `mkdir -p gd/ro && echo x > gd/ro/f && chmod 500 gd/ro gd`,
  // Non-UTF-8 names that need no chmod of their own: a file in a read-only
  // directory, a writable directory holding a file.
  plain: `mkdir ok && echo x > "ok/$(printf 'n\\377')" && chmod 500 ok && ` +
    `v=$(printf 'v\\376') && mkdir "$v" && echo x > "$v/$(printf '\\377')"`,
};

const BAD_NAME_SCRIPT = (base: string) => `
const build = (root, ...parts) => {
  const sh = new Deno.Command("sh", { args: ["-c", 'cd "$1" && ' + parts.join(" && "), "sh", root] }).outputSync();
  if (!sh.success) throw new Error(new TextDecoder().decode(sh.stderr));
};
const out = {};
for (const [name, parts] of ${
  JSON.stringify([
    ["all", [BAD_NAMES.readOnly, BAD_NAMES.above, BAD_NAMES.good]],
    ["plain", [BAD_NAMES.plain]],
  ])
}) {
  const tmp = new tf.TemporaryDirectory({ dir: ${JSON.stringify(base)} });
  build(tmp.path, ...parts);
  let error = null;
  try { tmp.drop(); } catch (e) { error = [e.name, e.message.replaceAll(tmp.path, "<tmp>")]; }
  let left = null;
  try { left = [...Deno.readDirSync(tmp.path)].map((e) => e.name).sort(); } catch {}
  out[name] = { error, left };
  if (left) tmp.keep(); // the test's own scratch removal takes it
}
console.log(JSON.stringify(out));`;

Deno.test("TemporaryDirectory: read-only directories with names that are not UTF-8 are removed through libc with --allow-ffi; without it, everything else goes and the error says what is left", async (t) => {
  const wrap = unprivileged();
  if (wrap === undefined || !exists("/bin/sh") || Deno.build.os !== "linux") {
    await t.step({
      name: "skipped: needs Linux, sh, and setpriv when root",
      ignore: true,
      fn() {},
    });
    return;
  }
  using base = scratch();
  const flags = [
    "--no-prompt",
    `--allow-read=${base.path}`,
    `--allow-write=${base.path}`,
    "--allow-run=sh",
  ];
  const [without, withFfi] = await Promise.all([
    denoRun(base.path, BAD_NAME_SCRIPT(base.path), flags, { wrap }),
    denoRun(base.path, BAD_NAME_SCRIPT(base.path), [...flags, "--allow-ffi"], {
      wrap,
    }),
  ]);
  assertEquals(without.code, 0, without.stderr);
  assertEquals(withFfi.code, 0, withFfi.stderr);
  const plain = JSON.parse(without.stdout);
  // Names that need no chmod of their own go without FFI.
  assertEquals(plain.plain, { error: null, left: null });
  // The read-only ones are left, and only they; the error names them and
  // the flag that would let the removal finish.
  assertEquals(plain.all.left, ["\ufffdw", "\ufffd\ufffdbad"]);
  assertEquals(plain.all.error[0], "PermissionDenied");
  assertEquals(
    plain.all.error[1],
    `TemporaryDirectory: could not remove "<tmp>": 2 entries in "<tmp>" have names that are not valid UTF-8 ("\ufffd\ufffdbad", "\ufffdw", as Deno decodes them), and what they hold needs a chmod that Deno cannot pass such a name to; run again with --allow-ffi to let libc rename them (everything else was removed)`,
  );
  // With --allow-ffi the handle ends empty.
  assertEquals(JSON.parse(withFfi.stdout), {
    all: { error: null, left: null },
    plain: { error: null, left: null },
  });
});

// ---------------------------------------------------------------------------
// Deep trees.

/**
 * Code that builds a chain `root/t/d/d/.../d` of `depth` levels below `t`,
 * with `leaf` made in the deepest first: each level is added on top by two
 * renames, so no path ever grows long.
 */
const CHAIN = `
function chain(root, depth, leaf) {
  Deno.mkdirSync(root + "/t");
  leaf(root + "/t");
  for (let i = 0; i < depth; i++) {
    Deno.mkdirSync(root + "/u");
    Deno.renameSync(root + "/t", root + "/u/d");
    Deno.renameSync(root + "/u", root + "/t");
  }
}
function readOnlyLeaf(dir) {
  Deno.mkdirSync(dir + "/ro");
  Deno.writeTextFileSync(dir + "/ro/f", "x");
  Deno.chmodSync(dir + "/ro", 0o500);
}
function dropped(tmp) {
  try { tmp.drop(); } catch (e) { return e.name + ": " + e.message.slice(0, 160); }
  try { Deno.lstatSync(tmp.path); return "left"; } catch { return "gone"; }
}`;

Deno.test("TemporaryDirectory: trees deeper than the descriptor limit and than PATH_MAX are removed, as rm -rf removes them", async (t) => {
  const wrap = unprivileged();
  if (wrap === undefined || !have("prlimit")) {
    await t.step({
      name: "skipped: needs prlimit, and setpriv when root",
      ignore: true,
      fn() {},
    });
    return;
  }
  using base = scratch();
  const flags = [
    "--no-prompt",
    `--allow-read=${base.path}`,
    `--allow-write=${base.path}`,
  ];
  const dir = JSON.stringify(base.path);
  const [emfile, pathMax] = await Promise.all([
    // 2,000 levels under a limit of 1,024 descriptors.
    denoRun(
      base.path,
      `${CHAIN}
const tmp = new tf.TemporaryDirectory({ dir: ${dir} });
chain(tmp.path, 2000, () => {});
console.log(dropped(tmp));`,
      flags,
      { wrap: ["prlimit", "--nofile=1024:1024", ...wrap] },
    ),
    // A read-only directory 2,100 levels down: its path is over 4,096 bytes.
    denoRun(
      base.path,
      `${CHAIN}
const tmp = new tf.TemporaryDirectory({ dir: ${dir} });
chain(tmp.path, 2100, readOnlyLeaf);
console.log(dropped(tmp));`,
      flags,
      { wrap },
    ),
  ]);
  assertEquals(
    [emfile.code, pathMax.code],
    [0, 0],
    emfile.stderr + pathMax.stderr,
  );
  assertEquals(
    { emfile: emfile.stdout.trim(), pathMax: pathMax.stdout.trim() },
    { emfile: "gone", pathMax: "gone" },
    "depth 2,000 under ulimit -n 1024; read-only at depth 2,100",
  );
});
