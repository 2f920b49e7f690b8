// The command line of tempfile.ts against GNU coreutils `mktemp`: the same
// arguments, run in the same directory with the same environment, must give
// the same exit status, the same stderr, stdout of the same shape (equal
// except where both have random [A-Za-z0-9] characters) and the same kind
// and mode of file on disk.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { DENO_CONFIG, have } from "./_oracle.ts";

const MODULE = new URL("../cli/mktemp.ts", import.meta.url).pathname;
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
  // Only a single line can be a created path (not --help's text).
  if (path === "" || path.includes("\n")) return result;
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
  ["--help=1"],
  ["--version=x"],
  ["--bogus", "--help"],
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
            [
              "run",
              "--config",
              DENO_CONFIG,
              "--no-prompt",
              "-A",
              MODULE,
              ...args,
            ],
            cwd,
            env,
          ),
        ])
      ));
      results.forEach(([theirs, ours], j) => {
        const label = `mktemp ${JSON.stringify(batch[j])}`;
        assertEquals(ours.code, theirs.code, `${label}: ${ours.stderr}`);
        // mktemp names itself by argv[0], which is its full path here.
        const stderr = theirs.stderr.replaceAll(
          /\/[^\s']*\/mktemp\b/g,
          "mktemp",
        );
        assertEquals(ours.stderr, stderr, label);
        assert(
          sameShape(ours.stdout, theirs.stdout),
          `${label}: ${JSON.stringify(ours.stdout)} vs ${
            JSON.stringify(theirs.stdout)
          }`,
        );
        assertEquals(ours.kind, theirs.kind, label);
        assertEquals(ours.mode, theirs.mode, label);
        compared++;
      });
    }
    assertEquals(compared, CASES.length);
    // Everything created was removed again: the comparison saw it all.
    assertEquals([...Deno.readDirSync(tmpdir)], []);
    assertEquals([...Deno.readDirSync(cwd)].map((e) => e.name), ["sub"]);
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
        "--config",
        DENO_CONFIG,
        "--no-prompt",
        `--allow-read=${root}`,
        MODULE,
        "-u",
        template,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    const path = new TextDecoder().decode(out.stdout).trim();
    assert(path.startsWith(`${root}/pre-`), path);
    const random = path.slice(`${root}/pre-`.length);
    assertEquals(random.length, 200);
    assertMatch(random, /^[A-Za-z0-9]+$/);
    assertMatch(random, /[A-Z]/);
    assertMatch(random, /[a-z]/);
    assertMatch(random, /[0-9]/);
    assertEquals([...Deno.readDirSync(root)], [], "-u creates nothing");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

/** Runs the module with `flags` (none: no permission at all) and `args`. */
async function ours(
  flags: string[],
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Outcome> {
  return await outcome(
    DENO,
    ["run", "--config", DENO_CONFIG, "--no-prompt", ...flags, MODULE, ...args],
    opts.cwd ?? Deno.cwd(),
    { NO_COLOR: "1", LC_ALL: "C", ...opts.env },
  );
}

/** GNU's usage from "Usage:" through the --version line: ours must match it. */
function usagePart(help: string): string {
  // mktemp names itself by argv[0], which is its full path here.
  const lines = help.replaceAll(/\/[^\s']*\/mktemp\b/g, "mktemp").split("\n");
  const end = lines.findIndex((l) => l.trimStart().startsWith("--version"));
  assert(lines[0].startsWith("Usage: mktemp "), help);
  assert(end > 0, help);
  return lines.slice(0, end + 1).join("\n");
}

Deno.test("CLI: --help prints the usage and --version the package's version, exit 0", async () => {
  const version = JSON.parse(
    Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
  ).version;
  assertMatch(version, /^\d+\.\d+\.\d+/);
  const helps = await Promise.all([
    ours([], ["--help"]),
    ours([], ["--h"]), // a unique prefix, as getopt_long takes it
    ours([], ["-d", "--help", "a", "b"]), // acted on when met, like GNU
  ]);
  for (const help of helps) {
    assertEquals(help.code, 0, help.stderr);
    assertEquals(help.stderr, "");
    assertEquals(help.stdout, helps[0].stdout);
  }
  const text = helps[0].stdout;
  assertMatch(text, /^Usage: mktemp \[OPTION\]\.\.\. \[TEMPLATE\]\n/);
  for (const option of ["-d", "-u", "-q", "--suffix", "-p DIR", "-t"]) {
    assert(text.includes(`  ${option}`), option);
  }
  assertMatch(text, /--allow-write/);
  assertMatch(text, /@tempkit\/tempkit/);
  if (have("mktemp")) {
    const gnu = await outcome("mktemp", ["--help"], Deno.cwd(), {
      LC_ALL: "C",
    });
    assertEquals(gnu.code, 0);
    assertEquals(usagePart(text), usagePart(gnu.stdout));
  }

  for (const args of [["--version"], ["--vers"], ["-q", "--version", "XXX"]]) {
    const ran = await ours([], args);
    assertEquals(ran.code, 0, ran.stderr);
    assertEquals(ran.stderr, "");
    assertEquals(ran.stdout, `mktemp (@tempkit/tempkit) ${version}\n`);
  }
});

Deno.test("CLI: without permission, one message naming the flag, as GNU words a failure", async () => {
  const root = Deno.makeTempDirSync({ prefix: "tempfile_cli_test_" });
  try {
    const env = { TMPDIR: root }; // not read: env access is not granted
    const failed = (kind: string, template: string, reason: string) =>
      `mktemp: failed to create ${kind} via template '${template}': ${reason}\n`;
    // $TMPDIR is set but not readable: what is missing, and what would make
    // TMPDIR count.
    const tmpWrite =
      'write access to "/tmp" is not granted; run again with --allow-write=/tmp; TMPDIR counts only with --allow-env=TMPDIR';
    const cases: [string[], string[], string][] = [
      [[], [], failed("file", "/tmp/tmp.XXXXXXXXXX", tmpWrite)],
      [[], ["-d"], failed("directory", "/tmp/tmp.XXXXXXXXXX", tmpWrite)],
      [[], ["-t", "aXXX"], failed("file", "/tmp/aXXX", tmpWrite)],
      [[], ["-q"], ""],
      // Readable: it is used, and the advice is not repeated.
      [
        ["--allow-env=TMPDIR"],
        [],
        failed(
          "file",
          `${root}/tmp.XXXXXXXXXX`,
          `write access to "${root}" is not granted; run again with --allow-write=${root}`,
        ),
      ],
      [
        ["--allow-env=TMPDIR"],
        ["-p", "/var/tmp", "aXXX"],
        failed(
          "file",
          "/var/tmp/aXXX",
          'write access to "/var/tmp" is not granted; run again with --allow-write=/var/tmp',
        ),
      ],
      [
        [],
        ["-p", root, "aXXX"],
        failed(
          "file",
          `${root}/aXXX`,
          `write access to "${root}" is not granted; run again with --allow-write=${root}`,
        ),
      ],
      [
        [`--allow-write=${root}`],
        ["-u", "-p", root, "aXXX"],
        failed(
          "file",
          `${root}/aXXX`,
          `read access to "${root}" is not granted; run again with --allow-read=${root}`,
        ),
      ],
      // A bare name is in ".", which a flag names as such.
      [
        [],
        ["bXXX"],
        failed(
          "file",
          "bXXX",
          'write access to "." is not granted; run again with --allow-write=.',
        ),
      ],
    ];
    const runs = await Promise.all(
      cases.map(([flags, args]) => ours(flags, args, { cwd: root, env })),
    );
    runs.forEach((ran, i) => {
      const [flags, args, stderr] = cases[i];
      const label = `${flags.join(" ")} mktemp ${args.join(" ")}`;
      assertEquals(ran.code, 1, label);
      assertEquals(ran.stdout, "", label);
      assertEquals(ran.stderr, stderr, label);
      assertEquals(ran.stderr.split("mktemp: ").length - 1, stderr ? 1 : 0);
    });
    assertEquals([...Deno.readDirSync(root)], [], "nothing was created");

    // Scoped grants are enough, also for a bare name in the current directory.
    const scoped = await Promise.all([
      ours([`--allow-write=${root}`], ["cXXX"], { cwd: root }),
      ours([`--allow-write=${root}`], ["-d", "-p", root, "dXXX"]),
      ours([`--allow-read=${root}`], ["-u", "eXXX"], { cwd: root }),
    ]);
    assertEquals(
      scoped.map((r) => [r.code, r.stderr, r.kind]),
      [[0, "", "file"], [0, "", "directory"], [0, "", "none"]],
    );
    assertMatch(scoped[0].stdout, /^c[A-Za-z0-9]{3}\n$/);
    assert(scoped[1].stdout.startsWith(`${root}/d`), scoped[1].stdout);
    assertMatch(scoped[2].stdout, /^e[A-Za-z0-9]{3}\n$/);
    assertEquals([...Deno.readDirSync(root)], [], "outcome removed them");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
