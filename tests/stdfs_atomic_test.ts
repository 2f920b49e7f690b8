// Atomic writes: modes, symlinks (followed only where the kernel would
// follow them), what they refuse to replace, failures that leave the
// target, crashes.

import { assert, assertEquals, assertMatch } from "@std/assert";
import { stub } from "@std/testing/mock";
import * as s from "../stdfs.ts";
import type { StdfsError } from "../stdfs.ts";
import {
  asUser,
  child,
  failsWith,
  listing,
  MODULE_URL,
  sameBytes,
  shAs,
  twins,
} from "./_stdfs.ts";
import { DENO_CONFIG, have } from "./_oracle.ts";

// ---------------------------------------------------------------------------
// Modes

/** Runs `body` with the process umask set to `mask`, then restores it. */
async function withUmask(mask: number, body: () => Promise<void>) {
  const before = Deno.umask(mask);
  try {
    await body();
  } finally {
    Deno.umask(before);
  }
}

twins("mode applies to new files only", async (api, dir) => {
  await withUmask(0o022, async () => {
    for (const atomic of [false, true]) {
      const p = `${dir}/m-${atomic}`;
      await api.writeFile(p, "x", { atomic });
      assertEquals(Deno.statSync(p).mode! & 0o7777, 0o644);
      await api.writeBytes(`${p}-640`, new Uint8Array(), {
        atomic,
        mode: 0o640,
      });
      assertEquals(Deno.statSync(`${p}-640`).mode! & 0o7777, 0o640);
      await api.writeBytes(`${p}-666`, new Uint8Array(), {
        atomic,
        mode: 0o666,
      });
      assertEquals(Deno.statSync(`${p}-666`).mode! & 0o7777, 0o644);
      Deno.chmodSync(p, 0o604);
      await api.writeFile(p, "y", { atomic, mode: 0o600 });
      assertEquals(Deno.statSync(p).mode! & 0o7777, 0o604);
      assertEquals(Deno.readTextFileSync(p), "y\n");
      // A mode the umask would cut is kept: the replacement gets it back.
      Deno.chmodSync(p, 0o666);
      await api.writeFile(p, "z", { atomic });
      assertEquals(Deno.statSync(p).mode! & 0o7777, 0o666);
    }
  });
});

twins(
  "an atomic write never widens a mode by name where others could swap the name",
  async (api, dir) => {
    // In a directory others may write to without the sticky bit, the
    // temporary file's name could be replaced by a symlink before a chmod,
    // which would follow it: the replacement keeps the umask's narrower mode.
    await withUmask(0o022, async () => {
      for (const [dirMode, kept] of [[0o777, 0o644], [0o1777, 0o666]]) {
        Deno.chmodSync(dir, dirMode);
        Deno.writeTextFileSync(`${dir}/f`, "old\n");
        Deno.chmodSync(`${dir}/f`, 0o666);
        await api.writeFile(`${dir}/f`, "new", { atomic: true });
        assertEquals(Deno.readTextFileSync(`${dir}/f`), "new\n");
        assertEquals(Deno.statSync(`${dir}/f`).mode! & 0o7777, kept);
      }
      Deno.chmodSync(dir, 0o700);
    });
  },
);

// ---------------------------------------------------------------------------
// Symlinks

twins(
  "atomic writes go through symlinks to the real file",
  async (api, dir) => {
    Deno.mkdirSync(`${dir}/real`);
    Deno.writeTextFileSync(`${dir}/real/f.txt`, "old\n");
    Deno.chmodSync(`${dir}/real/f.txt`, 0o640);
    Deno.symlinkSync("real/f.txt", `${dir}/hop2`);
    Deno.symlinkSync(`${dir}/hop2`, `${dir}/hop1`);
    await api.writeFile(`${dir}/hop1`, "new", { atomic: true });
    assertEquals(Deno.lstatSync(`${dir}/hop1`).isSymlink, true);
    assertEquals(Deno.lstatSync(`${dir}/hop2`).isSymlink, true);
    assertEquals(Deno.readTextFileSync(`${dir}/real/f.txt`), "new\n");
    assertEquals(Deno.statSync(`${dir}/real/f.txt`).mode! & 0o777, 0o640);
    // A dangling link (relative, through another link) creates its target.
    Deno.symlinkSync("real/created.txt", `${dir}/dangling`);
    Deno.symlinkSync("dangling", `${dir}/to-dangling`);
    await api.writeLines(`${dir}/to-dangling`, ["made"], { atomic: true });
    assertEquals(Deno.readTextFileSync(`${dir}/real/created.txt`), "made\n");
    assertEquals(Deno.lstatSync(`${dir}/dangling`).isSymlink, true);
    assertEquals(listing(`${dir}/real`), ["created.txt", "f.txt"]);
    assertEquals(listing(dir), [
      "dangling",
      "hop1",
      "hop2",
      "real",
      "to-dangling",
    ]);
    // A link loop fails before anything is written.
    Deno.symlinkSync("loop", `${dir}/loop`);
    await failsWith(
      api.writeFile(`${dir}/loop`, "x", { atomic: true }),
      "OPEN_FAIL",
    );
    assertEquals(listing(`${dir}/real`), ["created.txt", "f.txt"]);
  },
);

twins(
  "a failed atomic write leaves the target and no temporary file",
  async (api, dir) => {
    // Renaming a file over a non-empty directory fails after the temporary
    // file is written.
    Deno.mkdirSync(`${dir}/target/inner`, { recursive: true });
    const err = await failsWith(
      api.writeFile(`${dir}/target`, "x", { atomic: true }),
      "OPEN_FAIL",
      `${dir}/target`,
    );
    assert(err.cause instanceof Error);
    assertEquals(listing(dir), ["target"]);
    assertEquals(listing(`${dir}/target`), ["inner"]);
  },
);

// ---------------------------------------------------------------------------
// Following symlinks only where the kernel would

const VICTIM = 1000;
const OTHER = 1001;
const KNOB = "/proc/sys/fs/protected_symlinks";

/** Reads or sets `fs.protected_symlinks` (Deno reserves /proc/sys to -A). */
function knob(value?: string): string {
  const script = value === undefined ? 'cat "$0"' : 'echo "$1" > "$0"';
  const out = new Deno.Command("sh", {
    args: ["-c", script, KNOB, value ?? ""],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const dec = new TextDecoder();
  if (!out.success) throw new Error(dec.decode(out.stderr).trim());
  return dec.decode(out.stdout).trim();
}

/**
 * Runs `body` with `fs.protected_symlinks = 1`, the usual default, setting
 * it for the test (and back after) where it is off and root may; otherwise
 * a skipped step in `t` says why.
 */
async function withProtectedSymlinks(
  t: Deno.TestContext,
  body: () => Promise<void>,
): Promise<void> {
  let before: string;
  try {
    before = knob();
    if (before !== "1") knob("1");
  } catch (err) {
    await t.step({
      name: `skipped: cannot turn fs.protected_symlinks on (${err})`,
      ignore: true,
      fn() {},
    });
    return;
  }
  try {
    await body();
  } finally {
    if (before !== "1") knob(before);
  }
}

Deno.test("an atomic write never follows a symlink the kernel would refuse to follow", async (t) => {
  const base = Deno.makeTempDirSync({ prefix: "stdfs_links_" });
  const victim = asUser(VICTIM, `${base}/home`);
  if (victim === undefined) {
    Deno.removeSync(base);
    await t.step({
      name: "skipped: needs root and setpriv",
      ignore: true,
      fn() {},
    });
    return;
  }
  try {
    await withProtectedSymlinks(t, async () => {
      // The victim's home, and a sticky world-writable directory like /tmp.
      const home = `${base}/home`;
      const sticky = `${base}/sticky`;
      Deno.chmodSync(base, 0o755);
      Deno.mkdirSync(home, { mode: 0o700 });
      Deno.mkdirSync(sticky);
      Deno.chmodSync(sticky, 0o1777);
      for (
        const name of ["secret.txt", "mine-target.txt", "roots-target.txt"]
      ) {
        Deno.writeTextFileSync(`${home}/${name}`, "old\n");
        Deno.chmodSync(`${home}/${name}`, 0o600);
      }
      Deno.writeTextFileSync(`${home}/secret.txt`, "secret\n");
      // The other user plants links to the victim's files; the victim has
      // one of its own there; root, the directory's owner, another.
      shAs(OTHER, 'ln -s "$1/secret.txt" "$2/report.txt"', home, sticky);
      shAs(OTHER, 'ln -s "$1/new.txt" "$2/dangling.txt"', home, sticky);
      Deno.symlinkSync(`${home}/mine-target.txt`, `${sticky}/mine.txt`);
      Deno.symlinkSync(`${home}/roots-target.txt`, `${sticky}/roots.txt`);
      Deno.symlinkSync(`${sticky}/report.txt`, `${home}/via.txt`);
      for (
        const p of [
          home,
          `${home}/secret.txt`,
          `${home}/mine-target.txt`,
          `${home}/roots-target.txt`,
        ]
      ) Deno.chownSync(p, VICTIM, VICTIM);
      new Deno.Command("chown", {
        args: [
          "-h",
          `${VICTIM}:${VICTIM}`,
          `${sticky}/mine.txt`,
          `${home}/via.txt`,
        ],
      }).outputSync();

      // Under -A, Deno's own open leaves following to the kernel, which
      // refuses; under path flags it resolves links itself to check the
      // grant and would follow (as a plain write does then), so there only
      // the atomic writes are checked.
      const code = `
        import * as s from "${MODULE_URL}";
        const [home, sticky, all] = Deno.args;
        const out = {};
        const attempt = async (name, call) => {
          try { await call(); out[name] = "written"; }
          catch (e) { out[name] = [e.code ?? e.name, e.cause?.name ?? null]; }
        };
        const report = sticky + "/report.txt";
        if (all) {
          await attempt("control", () => Deno.writeTextFileSync(report, "x"));
          await attempt("plain", () => s.writeFileSync(report, "x"));
          await attempt("plainDangling", () => s.writeFileSync(sticky + "/dangling.txt", "x"));
        }
        await attempt("atomicSync", () => s.writeFileSync(report, "x", { atomic: true }));
        await attempt("atomic", () => s.writeFile(report, "x", { atomic: true }));
        await attempt("bytes", () => s.writeBytes(report, new Uint8Array(1), { atomic: true }));
        await attempt("lines", () => s.writeLinesSync(report, ["x"], { atomic: true }));
        await attempt("chain", () => s.writeFile(home + "/via.txt", "x", { atomic: true }));
        await attempt("dangling", () => s.writeFileSync(sticky + "/dangling.txt", "x", { atomic: true }));
        await attempt("own", () => s.writeFile(sticky + "/mine.txt", "mine", { atomic: true }));
        await attempt("dirOwners", () => s.writeFileSync(sticky + "/roots.txt", "roots", { atomic: true }));
        console.log(JSON.stringify(out));
      `;
      const refused = ["OPEN_FAIL", "PermissionDenied"];
      const atomic = {
        atomicSync: refused,
        atomic: refused,
        bytes: refused,
        lines: refused,
        chain: refused, // the victim's own link, into the other's
        dangling: refused, // would create the file the link names
        own: "written",
        dirOwners: "written",
      };
      for (const flags of [["-A"], ["--allow-read", "--allow-write"]]) {
        const all = flags[0] === "-A";
        const result = await child(base, code, flags, [
          home,
          sticky,
          all ? "all" : "",
        ], victim);
        assert(result.success, new TextDecoder().decode(result.stderr));
        const expected = all
          ? {
            control: ["EACCES", null], // Deno's own write: the kernel refuses
            plain: refused,
            plainDangling: refused,
            ...atomic,
          }
          : atomic;
        const out = JSON.parse(new TextDecoder().decode(result.stdout));
        assertEquals(out, expected, flags.join(" "));
      }
      // Root is refused too: the kernel applies the rule to every follower.
      await failsWith(
        s.writeFile(`${sticky}/report.txt`, "root", { atomic: true }),
        "OPEN_FAIL",
      );
      const err = await failsWith(
        Promise.resolve().then(() =>
          s.writeFileSync(`${sticky}/report.txt`, "root", { atomic: true })
        ),
        "OPEN_FAIL",
        `${sticky}/report.txt`,
      );
      assert(err.cause instanceof Deno.errors.PermissionDenied);
      assertEquals(Deno.readTextFileSync(`${home}/secret.txt`), "secret\n");
      assertEquals(Deno.readTextFileSync(`${home}/mine-target.txt`), "mine\n");
      assertEquals(
        Deno.readTextFileSync(`${home}/roots-target.txt`),
        "roots\n",
      );
      assertEquals(listing(home).filter((n) => n !== ".deno"), [
        "mine-target.txt",
        "roots-target.txt",
        "secret.txt",
        "via.txt",
      ]);
      assertEquals(listing(sticky), [
        "dangling.txt",
        "mine.txt",
        "report.txt",
        "roots.txt",
      ]);
    });
  } finally {
    Deno.removeSync(base, { recursive: true });
  }
});

twins(
  "an atomic write refuses a symlink chain that changes while it is read",
  async (api, dir) => {
    // The kernel finds one file through the link; reading the link then
    // names another (as if it had been replaced in between).
    Deno.writeTextFileSync(`${dir}/real.txt`, "real\n");
    Deno.writeTextFileSync(`${dir}/decoy.txt`, "decoy\n");
    Deno.symlinkSync(`${dir}/real.txt`, `${dir}/link`);
    const swapped = () => `${dir}/decoy.txt`;
    using _sync = stub(Deno, "readLinkSync", swapped);
    using _async = stub(Deno, "readLink", () => Promise.resolve(swapped()));
    const err = await failsWith(
      api.writeFile(`${dir}/link`, "new", { atomic: true }),
      "OPEN_FAIL",
      `${dir}/link`,
    );
    assertMatch(err.message, /symlinks changed/);
    assertEquals(Deno.readTextFileSync(`${dir}/real.txt`), "real\n");
    assertEquals(Deno.readTextFileSync(`${dir}/decoy.txt`), "decoy\n");
    assertEquals(listing(dir), ["decoy.txt", "link", "real.txt"]);
  },
);

Deno.test("an atomic write refuses to replace a device, FIFO, socket or directory", async (t) => {
  if (Deno.uid() !== 0 || !have("mknod") || !have("python3")) {
    await t.step({
      name: "skipped: needs root, mknod and python3",
      ignore: true,
      fn() {},
    });
    return;
  }
  const dir = Deno.makeTempDirSync({ prefix: "stdfs_nodes_" });
  try {
    // A copy of /dev/null (as root, the real one would be replaced too).
    const made = new Deno.Command("mknod", {
      args: [`${dir}/null`, "c", "1", "3"],
    })
      .outputSync();
    assert(made.success);
    new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).outputSync();
    // A socket file, bound by another process (Deno's own would need --allow-net).
    new Deno.Command("python3", {
      args: [
        "-c",
        "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
        `${dir}/socket`,
      ],
    }).outputSync();
    Deno.mkdirSync(`${dir}/dir`);
    Deno.symlinkSync(`${dir}/null`, `${dir}/to-null`);
    const kinds: [string, RegExp, (i: Deno.FileInfo) => boolean][] = [
      ["null", /a character device/, (i) => i.isCharDevice === true],
      ["to-null", /a character device/, (i) => i.isCharDevice === true],
      ["fifo", /a FIFO/, (i) => i.isFifo === true],
      ["socket", /a socket/, (i) => i.isSocket === true],
      ["dir", /a directory/, (i) => i.isDirectory],
    ];
    for (const [name, message, isKind] of kinds) {
      const p = `${dir}/${name}`;
      for (
        const call of [
          () => s.writeFile(p, "x", { atomic: true }),
          () => s.writeFileSync(p, "x", { atomic: true }),
          () => s.writeBytesSync(p, new Uint8Array(1), { atomic: true }),
          () => s.writeLines(p, ["x"], { atomic: true }),
        ]
      ) {
        const err = await failsWith(
          Promise.resolve().then(call),
          "OPEN_FAIL",
          p,
        );
        assertMatch(err.message, message);
        if (name !== "dir") {
          assertMatch(err.message, /without \{ atomic: true \}/);
        }
        assert(isKind(Deno.statSync(p)), name);
      }
    }
    // Without atomic, a device is written as usual.
    s.writeFileSync(`${dir}/null`, "gone");
    await s.writeFile(`${dir}/to-null`, "gone");
    assert(Deno.statSync(`${dir}/null`).isCharDevice);
    assertEquals(listing(dir), ["dir", "fifo", "null", "socket", "to-null"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// Failures

twins(
  "an atomic write that fails writing, syncing or setting the mode leaves the target and no temporary file",
  async (api, dir) => {
    const err = Object.assign(new Error("injected failure"), { code: "EIO" });
    const file = Deno.FsFile.prototype;
    const { write, writeSync } = file;
    /** Lets the first write take 5 bytes, then fails every later one. */
    const failLaterWrites = () => {
      let n = 0;
      return [
        stub(file, "write", function (this: Deno.FsFile, p: Uint8Array) {
          if (n++ === 0) return write.call(this, p.subarray(0, 5));
          return Promise.reject(err);
        }),
        stub(file, "writeSync", function (this: Deno.FsFile, p: Uint8Array) {
          if (n++ === 0) return writeSync.call(this, p.subarray(0, 5));
          throw err;
        }),
      ];
    };
    const fails = () => {
      throw err;
    };
    const rejects = () => Promise.reject(err);
    // step: installs the failure, returns the stubs that undo it
    const steps: [string, () => Disposable[]][] = [
      ["write", failLaterWrites],
      [
        "fsync",
        () => [stub(file, "sync", rejects), stub(file, "syncSync", fails)],
      ],
      [
        "chmod",
        () => [stub(Deno, "chmod", rejects), stub(Deno, "chmodSync", fails)],
      ],
    ];
    await withUmask(0o022, async () => {
      // 0o666 is more than the umask lets a creation give: the mode is set
      // after writing, by chmod.
      Deno.writeTextFileSync(`${dir}/old.txt`, "old\n");
      Deno.chmodSync(`${dir}/old.txt`, 0o666);
      for (const [step, install] of steps) {
        const targets = step === "chmod"
          ? [`${dir}/old.txt`]
          : [`${dir}/old.txt`, `${dir}/new.txt`];
        for (const target of targets) {
          const failures = install();
          let got: StdfsError;
          try {
            got = await failsWith(
              api.writeFile(target, "new content", { atomic: true }),
              "OPEN_FAIL",
              target,
            );
          } finally {
            for (const f of failures) f[Symbol.dispose]();
          }
          const what = `${step} ${target}`;
          assertEquals(got.cause, err, what);
          assertMatch(got.message, /: injected failure$/);
          assertEquals(listing(dir), ["old.txt"], what);
          assertEquals(Deno.readTextFileSync(`${dir}/old.txt`), "old\n", what);
          assertEquals(Deno.statSync(`${dir}/old.txt`).mode! & 0o777, 0o666);
        }
      }
      // With nothing stubbed the same writes succeed.
      await api.writeFile(`${dir}/old.txt`, "new content", { atomic: true });
      await api.writeFile(`${dir}/new.txt`, "new content", { atomic: true });
      assertEquals(listing(dir), ["new.txt", "old.txt"]);
      assertEquals(Deno.readTextFileSync(`${dir}/old.txt`), "new content\n");
      assertEquals(Deno.statSync(`${dir}/old.txt`).mode! & 0o777, 0o666);
    });
  },
);

twins("atomic writes leave nothing but the target", async (api, dir) => {
  const p = `${dir}/${"long-name-".repeat(24)}.txt`; // 244 chars: clipped
  for (let i = 0; i < 5; i++) {
    await api.writeBytes(p, new Uint8Array(i * 1000).fill(i), { atomic: true });
    assertEquals(Deno.statSync(p).size, i * 1000);
  }
  assertEquals(listing(dir), [p.slice(dir.length + 1)]);
  await api.writeFile(`${dir}/back\\slash`, "x", { atomic: true });
  assertEquals(Deno.readTextFileSync(`${dir}/back\\slash`), "x\n");
});

Deno.test("atomic writes survive SIGKILL at random moments", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const target = `${dir}/target.bin`;
    const OLD = new Uint8Array(1 << 20).fill(0x41);
    const NEW = new Uint8Array(16 << 20);
    for (let i = 0; i < NEW.length; i++) NEW[i] = i % 251;
    const code = `
      import {
  writeBytes,
  writeBytesSync,
} from "${MODULE_URL}";
      const [target, mode] = Deno.args;
      const data = new Uint8Array(16 << 20);
      for (let i = 0; i < data.length; i++) data[i] = i % 251;
      await Deno.stdout.write(new TextEncoder().encode("ready\\n"));
      if (mode === "sync") writeBytesSync(target, data, { atomic: true });
      else await writeBytes(target, data, { atomic: true });
    `;
    const script = `${dir}/writer.ts`;
    Deno.writeTextFileSync(script, code);
    const stray = /^\.target\.bin\.[0-9a-f]{16}\.tmp(\.mode)?$/;

    /** Starts a writer; resolves once it is about to write. */
    const start = async (mode: string) => {
      const proc = new Deno.Command(Deno.execPath(), {
        args: ["run", "--config", DENO_CONFIG, "-A", script, target, mode],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const reader = proc.stdout.getReader();
      await reader.read(); // "ready"
      reader.releaseLock();
      return proc;
    };

    // Calibrate: how long an uninterrupted atomic write takes.
    let window = 20;
    for (const mode of ["sync", "async"]) {
      Deno.writeFileSync(target, OLD);
      const proc = await start(mode);
      const ready = performance.now();
      await proc.status;
      window = Math.max(window, performance.now() - ready);
      assert(sameBytes(Deno.readFileSync(target), NEW));
    }

    const TRIALS = 20;
    const outcome = { old: 0, new: 0, strays: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      Deno.writeFileSync(target, OLD);
      const proc = await start(trial % 2 ? "async" : "sync");
      await new Promise((r) => setTimeout(r, Math.random() * window * 1.3));
      try {
        proc.kill("SIGKILL");
      } catch {
        // already exited
      }
      await proc.status;
      const got = Deno.readFileSync(target);
      const isOld = sameBytes(got, OLD);
      const isNew = sameBytes(got, NEW);
      assert(
        isOld || isNew,
        `trial ${trial}: torn target (${got.length} bytes)`,
      );
      outcome[isOld ? "old" : "new"]++;
    }
    const names = listing(dir).filter((n) =>
      n !== "target.bin" && n !== "writer.ts"
    );
    for (const name of names) assertMatch(name, stray);
    outcome.strays = names.length;
    // A later atomic write succeeds, and leaves no temporary file of its own.
    await s.writeBytes(target, OLD, { atomic: true });
    assert(sameBytes(Deno.readFileSync(target), OLD));
    assertEquals(
      listing(dir).filter((n) => n !== "target.bin" && n !== "writer.ts"),
      names,
    );
    console.log(
      `crash trials: ${TRIALS}, window ${window.toFixed(0)} ms, ` +
        `old ${outcome.old}, new ${outcome.new}, stray temporaries ${outcome.strays}`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
