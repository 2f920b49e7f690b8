// The command line of tempfile.ts against GNU coreutils `mktemp`: the same
// arguments, run in the same directory with the same environment, must give
// the same exit status, the same stderr, stdout of the same shape (equal
// except where both have random [A-Za-z0-9] characters) and the same kind
// and mode of file on disk.
import assert from "node:assert/strict";
import { have } from "./_oracle.ts";

const MODULE = new URL("../tempfile.ts", import.meta.url).pathname;
const DENO = Deno.execPath();
const ALNUM = /^[A-Za-z0-9]$/;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  kind?: string;
  mode?: number;
}

async function outcome(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<Outcome> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const result: Outcome = {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
  const path = result.stdout.replace(/\n$/, "");
  if (path === "") return result;
  try {
    const info = await Deno.lstat(
      path.startsWith("/") ? path : `${cwd}/${path}`,
    );
    result.kind = info.isDirectory
      ? "directory"
      : info.isFile
      ? "file"
      : "other";
    result.mode = info.mode! & 0o777;
    await Deno.remove(path.startsWith("/") ? path : `${cwd}/${path}`);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    result.kind = "none";
  }
  return result;
}

/** Equal, except at positions where both have random alphanumerics. */
function sameShape(ours: string, theirs: string): boolean {
  if (ours.length !== theirs.length) return false;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] === theirs[i]) continue;
    if (!ALNUM.test(ours[i]) || !ALNUM.test(theirs[i])) return false;
  }
  return true;
}

const CASES: string[][] = [
  [],
  ["-d"],
  ["foo.XXX"],
  ["foo.XXXXXXXXXXXX"],
  ["-d", "dirXXXX"],
  ["aXXX", "-d"],
  ["--suffix=.x", "foo.XXX"],
  ["--suffix", ".x", "foo.XXX"],
  ["--suf=.txt", "XXXXXX"],
  ["XXXbarXXX"],
  ["sub/XXX.txt"],
  ["-p", "sub", "aXXX"],
  ["-psub", "aXXX"],
  ["-dp", "sub"],
  ["-p", "", "aXXX"],
  ["--tmpdir=sub", "aXXX"],
  ["--tmpdir", "aXXX"],
  ["-t", "aXXX"],
  ["-t", "-p", "sub", "aXXX"],
  ["-dt"],
  ["--directory", "--quiet", "zXXXX"],
  ["--", "-XXX"],
  ["-u", "XXX"],
  ["-q", "XXXX"],
  // Errors.
  ["foo.XX"],
  ["noX"],
  ["-t", "foo/XXX"],
  ["-p", "/tmp", "/abs/XXX"],
  ["--suffix=.x", "fooXXXy"],
  ["--suffix=a/b", "fooXXX"],
  ["fooXXX/bar"],
  ["nope/XXXX"],
  ["-d", "nope/XXXX"],
  ["-q", "nope/XXX"],
  ["-z"],
  ["a", "b"],
  ["-p"],
  ["--suffix"],
  ["--bogus"],
  ["--d", "XXX"],
  ["--quiet=1"],
];

Deno.test("CLI: same behaviour as coreutils mktemp", async (t) => {
  if (!have("mktemp")) {
    t.step({ name: "skipped: no mktemp", ignore: true, fn() {} });
    return;
  }
  const root = Deno.makeTempDirSync({ prefix: "tempfile_cli_test_" });
  try {
    const cwd = `${root}/cwd`;
    const tmpdir = `${root}/tmpdir`;
    Deno.mkdirSync(`${cwd}/sub`, { recursive: true });
    Deno.mkdirSync(tmpdir);
    const env = { TMPDIR: tmpdir, LC_ALL: "C", NO_COLOR: "1" };
    let compared = 0;
    // A few at a time: the machine has two cores.
    for (let i = 0; i < CASES.length; i += 6) {
      const batch = CASES.slice(i, i + 6);
      const results = await Promise.all(batch.map((args) =>
        Promise.all([
          outcome("mktemp", args, cwd, env),
          outcome(
            DENO,
            ["run", "--no-prompt", "-A", MODULE, ...args],
            cwd,
            env,
          ),
        ])
      ));
      results.forEach(([theirs, ours], j) => {
        const label = `mktemp ${JSON.stringify(batch[j])}`;
        assert.equal(ours.code, theirs.code, `${label}: ${ours.stderr}`);
        // mktemp names itself by argv[0], which is its full path here.
        const stderr = theirs.stderr.replaceAll(
          /\/[^\s']*\/mktemp\b/g,
          "mktemp",
        );
        assert.equal(ours.stderr, stderr, label);
        assert.ok(
          sameShape(ours.stdout, theirs.stdout),
          `${label}: ${JSON.stringify(ours.stdout)} vs ${
            JSON.stringify(theirs.stdout)
          }`,
        );
        assert.equal(ours.kind, theirs.kind, label);
        assert.equal(ours.mode, theirs.mode, label);
        compared++;
      });
    }
    assert.equal(compared, CASES.length);
    // Everything created was removed again: the comparison saw it all.
    assert.deepEqual([...Deno.readDirSync(tmpdir)], []);
    assert.deepEqual([...Deno.readDirSync(cwd)].map((e) => e.name), ["sub"]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("CLI: X's become uniform [A-Za-z0-9], and the rest of the template stays", async () => {
  const root = Deno.makeTempDirSync({ prefix: "tempfile_cli_test_" });
  try {
    const template = `${root}/pre-${"X".repeat(200)}`;
    const out = await new Deno.Command(DENO, {
      args: [
        "run",
        "--no-prompt",
        `--allow-read=${root}`,
        MODULE,
        "-u",
        template,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const path = new TextDecoder().decode(out.stdout).trim();
    assert.ok(path.startsWith(`${root}/pre-`), path);
    const random = path.slice(`${root}/pre-`.length);
    assert.equal(random.length, 200);
    assert.match(random, /^[A-Za-z0-9]+$/);
    assert.match(random, /[A-Z]/);
    assert.match(random, /[a-z]/);
    assert.match(random, /[0-9]/);
    assert.deepEqual([...Deno.readDirSync(root)], [], "-u creates nothing");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
