// cli/random.ts against `python3.13 -m random`: exit status, stderr for
// usage errors and Python errors, and the shape of what is printed (the
// digits are random on both sides).

import { assert, assertEquals } from "@std/assert";
import { DENO_CONFIG, run } from "./_oracle.ts";
import { PY, PY313, reportSkips } from "./_python.ts";

reportSkips("random_cli_test", "the command-line comparison");

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function capture(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
): Promise<Captured> {
  const out = await new Deno.Command(cmd, {
    args,
    env: { ...env, COLUMNS: "80" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

const SCRIPT = new URL("../cli/random.ts", import.meta.url).pathname;

/** The command line and `python -m random` on the same arguments. */
async function both(
  py: { cmd: string; env?: Record<string, string> },
  args: string[],
): Promise<{ args: string[]; ours: Captured; theirs: Captured }> {
  const [ours, theirs] = await Promise.all([
    capture(Deno.execPath(), [
      "run",
      "--config",
      DENO_CONFIG,
      "--no-prompt",
      SCRIPT,
      ...args,
    ]),
    capture(py.cmd, ["-m", "random", ...args], py.env),
  ]);
  return { args, ours, theirs };
}

/**
 * Asserts the same exit status and, for a failure, the same message: a
 * usage error's whole stderr (status 2), or the last line of Python's
 * traceback, which is the error we print (status 1). True for a failure.
 */
function sameFailure(what: string, ours: Captured, theirs: Captured): boolean {
  assertEquals(ours.code, theirs.code, `${what}: exit status`);
  if (theirs.code === 2) {
    assertEquals(
      ours.stderr,
      theirs.stderr.replaceAll("random.py", "random.ts"),
      what,
    );
  } else if (theirs.code === 1) {
    assertEquals(
      ours.stderr.trim(),
      theirs.stderr.trim().split("\n").pop(),
      what,
    );
  }
  return theirs.code !== 0;
}

/** The shape of one printed value: its kind, not its random digits. */
function shape(stdout: string, choices: string[]): string {
  const s = stdout.replace(/\n$/, "");
  if (/^-?\d+$/.test(s)) return "int";
  if (/^-?\d+\.\d+$/.test(s)) return "fixed float";
  if (/^-?\d(\.\d+)?e[+-]\d{2,}$/.test(s)) return "exponent float";
  if (s === "inf" || s === "nan" || s === "-inf") return s;
  if (choices.includes(s)) return "one of the choices";
  return `other: ${JSON.stringify(s)}`;
}

Deno.test({
  name: "random: command line mirrors python3.13 -m random",
  ignore: !PY313,
  fn: async () => {
    const py = PY!; // not ignored, so found
    const cases: string[][] = [
      [],
      ["-h"],
      ["-c", "a", "b", "c"],
      ["--choice=x"],
      ["-i", "6"],
      ["-i5"],
      ["--int", "1_000"],
      ["-i", "100000000000000000000000000000"],
      ["-f", "1000"],
      ["-f", "0"],
      ["-f", "inf"],
      ["6"],
      [" 12 "],
      ["2.5"],
      ["0"],
      ["-5"],
      ["1e300"],
      ["1e-7"],
      ["1e16"],
      ["inf"],
      ["nan"],
      ["a b c"],
      ["x", "y"],
      ["0x10"],
      ["-i", "x"],
      ["-f", "y"],
      ["-c"],
      ["-i"],
      ["-i", "5", "-f", "2"],
      ["-c", "x", "-i", "3"],
      ["a", "-i", "5", "b"],
      ["--bogus", "-z"],
      ["-1e5"],
      ["-i", "0"],
      [""],
      ["--", "-x"],
    ];
    const floats: string[] = [];
    const results = await Promise.all(cases.map((args) => both(py, args)));
    for (const { args, ours, theirs } of results) {
      const what = `random ${JSON.stringify(args)}`;
      if (sameFailure(what, ours, theirs)) continue;
      const pyHelp = theirs.stdout.replaceAll("random.py", "random.ts");
      if (theirs.stdout.startsWith("usage:")) {
        assertEquals(ours.stdout, pyHelp, what);
        continue;
      }
      const words = args.length === 1
        ? args[0].split(/\s+/)
        : args.filter((a) => !a.startsWith("-"));
      assertEquals(
        shape(ours.stdout, words),
        shape(theirs.stdout, words),
        `${what}: ${ours.stdout} vs ${theirs.stdout}`,
      );
      if (shape(ours.stdout, words).endsWith("float")) {
        floats.push(ours.stdout.trim());
      }
    }
    // Our float output is Python's repr of the same float.
    const check = await run(
      py.cmd,
      [
        "-c",
        "import sys, json; print(json.dumps([repr(float(s)) == s for s in json.load(sys.stdin)]))",
      ],
      JSON.stringify(floats),
      py.env,
    );
    const same = JSON.parse(new TextDecoder().decode(check)) as boolean[];
    assert(floats.length >= 8);
    assertEquals(same, floats.map(() => true), floats.join(" "));
    console.log(
      `${cases.length} command lines agreed with python3.13 -m random`,
    );
  },
});

Deno.test({
  name: "random: command line follows argparse 3.13 beyond the first cases",
  ignore: !PY313,
  fn: async () => {
    const py = PY!;
    // A value is converted before the group is checked; the last use of an
    // option wins; "--" inside the inputs is dropped once; "=" works after
    // short options; -h with an "=" value is an error, with letters not.
    const cases: string[][] = [
      ["-i", "5", "-f", "y"],
      ["-i", "x", "-h"],
      ["-c", "x", "-c", "y"],
      ["-i", "3", "-i", "4"],
      ["1", "2", "--", "3"],
      ["a", "--", "-i", "5"],
      ["--", "a", "--", "b"],
      ["-c", "a", "--", "b"],
      ["-i=5"],
      ["-c=a"],
      ["--help=x"],
      ["-h=x"],
      ["-hx"],
      ["--integer"],
      ["--in", "3"],
      ["-i", "-3"],
      ["-c", "-1", "-2"],
      ["-f", "-1e5"],
      ["-x"],
    ];
    const results = await Promise.all(cases.map((args) => both(py, args)));
    for (const { args, ours, theirs } of results) {
      const what = `random ${JSON.stringify(args)}`;
      if (!sameFailure(what, ours, theirs)) {
        // A pick among the arguments, or a number of the same shape.
        const picked = (out: string) => args.includes(out.trim());
        if (theirs.stdout.startsWith("usage:")) {
          assertEquals(
            ours.stdout,
            theirs.stdout.replaceAll("random.py", "random.ts"),
            what,
          );
        } else if (!(picked(ours.stdout) && picked(theirs.stdout))) {
          assertEquals(shape(ours.stdout, []), shape(theirs.stdout, []), what);
        }
      }
    }
  },
});
