/**
 * Python 3.13's `python -m random` command line, on the shared OS-seeded
 * generator of `random.ts`: `-c/--choice CHOICE...` prints one of the
 * choices, `-i/--integer N` an integer in 1..N, `-f/--float N` a float in
 * 0..N, and bare inputs are read the same way (one integer, one float, or
 * words to choose among).
 *
 * It parses with `@std/cli`'s `parseArgs` behind a small adapter for what
 * argparse does and parseArgs cannot (see `argparseArgv`): option
 * prefixes, `--opt=value`, `-i5`, `--`, negative numbers as inputs, one
 * positional chunk, the mutually exclusive group and argparse's error
 * texts; usage errors exit 2, a `ValueError` or `IndexError` exits 1. Not
 * mirrored: the hidden `--test`, short flags combined after `-h` (`-hc`),
 * and Unicode digits in numbers.
 *
 * ```sh
 * deno run jsr:@tempkit/tempkit/cli/random -i 6
 * ```
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { choice, randint, uniform } from "../random.ts";

const CLI_PROG = "random.ts";
const CLI_USAGE =
  `usage: ${CLI_PROG} [-h] [-c CHOICE [CHOICE ...] | -i N | -f N] [input ...]\n`;
const CLI_HELP = `${CLI_USAGE}
positional arguments:
  input                 if no options given, output depends on the input
                            string or multiple: same as --choice
                            integer: same as --integer
                            float: same as --float

options:
  -h, --help            show this help message and exit
  -c, --choice CHOICE [CHOICE ...]
                        print a random choice
  -i, --integer N       print a random integer between 1 and N inclusive
  -f, --float N         print a random floating-point number between 0 and N inclusive
`;

/** What the command line prints and its exit status. */
interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class CliUsageError extends Error {}

/** Python's `int(s)` for ASCII digits; undefined where it raises. */
function pyInt(s: string): number | bigint | undefined {
  const t = s.trim();
  if (!/^[+-]?\d(?:_?\d)*$/.test(t)) return undefined;
  const n = BigInt(t.replace(/_/g, "").replace(/^\+/, ""));
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** Python's `float(s)` for ASCII input; undefined where it raises. */
function pyFloat(s: string): number | undefined {
  const t = s.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    if (special[2].toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  const digits = String.raw`\d(?:_?\d)*`;
  const re = new RegExp(
    `^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`,
  );
  return re.test(t) ? Number(t.replace(/_/g, "")) : undefined;
}

/** Python's `repr(float)`: shortest digits, exponent outside [1e-4, 1e16). */
function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const [mant, exp] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const decpt = Number(exp) + 1; // digits[0] sits before the point at decpt
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${
      String(Math.abs(e)).padStart(2, "0")
    }`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) {
    return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

type CliAction = "choice" | "integer" | "float";
const CLI_NAMES: Record<CliAction, string> = {
  choice: "-c/--choice",
  integer: "-i/--integer",
  float: "-f/--float",
};
const CLI_LONG: Record<string, CliAction | "help"> = {
  "--help": "help",
  "--choice": "choice",
  "--integer": "integer",
  "--float": "float",
};
const CLI_SHORT: Record<string, CliAction | "help"> = {
  "-h": "help",
  "-c": "choice",
  "-i": "integer",
  "-f": "float",
};

interface CliArgs {
  choice?: string[];
  integer?: number | bigint;
  float?: number;
  input: string[];
  help: boolean;
}

/**
 * random.py's argparse parser reduced to a list `parseArgs` reads the same
 * way: `--name=value` per value and the inputs after `--`, or `--help`
 * alone. parseArgs cannot express four things argparse does here, so this
 * adapter resolves them: abbreviated long options (`--int 5`), an option
 * taking one or more values (`-c a b c`), negative numbers read as values
 * and inputs rather than as options, and a single chunk of inputs (a second
 * chunk is an error). It also raises argparse's usage errors in argparse's
 * order (a value is converted, then checked against the mutually exclusive
 * options seen before it), since which error is reported depends on it.
 */
function argparseArgv(args: string[]): string[] {
  // After "--" everything is an input; a negative number is an input since
  // no option of this parser looks like one.
  const isOption = (a: string, afterDashes: boolean) =>
    !afterDashes && a.startsWith("-") && a !== "-" &&
    !/^-\d+$|^-\d*\.\d+$/.test(a);
  const values = new Map<CliAction, string[]>(); // the last use of each wins
  const extras: string[] = [];
  let input: string[] | undefined;
  let dashes = false;
  let i = 0;
  const positionals = () => {
    const chunk: string[] = [];
    // The first "--" inside a chunk is dropped, as argparse drops it.
    while (
      i < args.length && (!isOption(args[i], dashes) || args[i] === "--")
    ) {
      if (args[i] === "--" && !dashes) dashes = true;
      else chunk.push(args[i]);
      i++;
    }
    if (chunk.length === 0) return;
    if (input === undefined) input = chunk;
    else extras.push(...chunk);
  };
  while (i < args.length) {
    const arg = args[i];
    if (arg === "--" && !dashes) {
      dashes = true;
      i++;
      continue;
    }
    if (!isOption(arg, dashes)) {
      positionals();
      continue;
    }
    i++;
    const [action, explicit] = optionAt(arg);
    if (action === undefined) {
      extras.push(arg);
      continue;
    }
    if (action === "help") {
      if (explicit !== undefined && arg.includes("=")) {
        throw new CliUsageError(
          `argument -h/--help: ignored explicit argument '${explicit}'`,
        );
      }
      return ["--help"];
    }
    const label = `argument ${CLI_NAMES[action]}`;
    let taken: string[];
    if (explicit !== undefined) taken = [explicit];
    else if (action === "choice") {
      taken = [];
      while (
        i < args.length && !isOption(args[i], dashes) && args[i] !== "--"
      ) {
        taken.push(args[i++]);
      }
      if (taken.length === 0) {
        throw new CliUsageError(`${label}: expected at least one argument`);
      }
    } else {
      if (i >= args.length || isOption(args[i], dashes) || args[i] === "--") {
        throw new CliUsageError(`${label}: expected one argument`);
      }
      taken = [args[i++]];
    }
    if (action === "integer" && pyInt(taken[0]) === undefined) {
      throw new CliUsageError(`${label}: invalid int value: '${taken[0]}'`);
    }
    if (action === "float" && pyFloat(taken[0]) === undefined) {
      throw new CliUsageError(`${label}: invalid float value: '${taken[0]}'`);
    }
    for (const other of values.keys()) {
      if (other !== action) {
        throw new CliUsageError(
          `${label}: not allowed with argument ${CLI_NAMES[other]}`,
        );
      }
    }
    values.set(action, taken);
  }
  if (extras.length > 0) {
    throw new CliUsageError(`unrecognized arguments: ${extras.join(" ")}`);
  }
  const argv: string[] = [];
  for (const [action, taken] of values) {
    for (const value of taken) argv.push(`--${action}=${value}`);
  }
  return [...argv, "--", ...(input ?? [])];
}

/**
 * The action of an option argument and its attached value: `--integer=5`,
 * `-i=5`, `-i5`, and a long option abbreviated to any unambiguous prefix.
 */
function optionAt(
  arg: string,
): [CliAction | "help" | undefined, string | undefined] {
  const eq = arg.indexOf("=");
  const exact = eq >= 0 ? arg.slice(0, eq) : undefined;
  if (exact !== undefined && (CLI_SHORT[exact] ?? CLI_LONG[exact])) {
    return [CLI_SHORT[exact] ?? CLI_LONG[exact], arg.slice(eq + 1)];
  }
  if (!arg.startsWith("--")) {
    const action = CLI_SHORT[arg.slice(0, 2)];
    return [
      action,
      action !== undefined && arg.length > 2 ? arg.slice(2) : undefined,
    ];
  }
  const name = eq >= 0 ? arg.slice(0, eq) : arg;
  const explicit = eq >= 0 ? arg.slice(eq + 1) : undefined;
  if (CLI_LONG[name] !== undefined) return [CLI_LONG[name], explicit];
  const matches = Object.keys(CLI_LONG).filter((k) => k.startsWith(name));
  if (matches.length > 1) {
    throw new CliUsageError(
      `ambiguous option: ${name} could match ${matches.join(", ")}`,
    );
  }
  return [matches.length === 1 ? CLI_LONG[matches[0]] : undefined, explicit];
}

/** argparse's reading of `args` for random's parser. */
function parseCliArgs(args: string[]): CliArgs {
  const parsed = parseArgs(argparseArgv(args), {
    boolean: ["help"],
    string: ["choice", "integer", "float"],
    collect: ["choice"],
    "--": true,
  });
  return {
    help: parsed.help,
    choice: parsed.choice.length > 0 ? parsed.choice : undefined,
    integer: parsed.integer === undefined ? undefined : pyInt(parsed.integer),
    float: parsed.float === undefined ? undefined : pyFloat(parsed.float),
    input: parsed["--"],
  };
}

/** Python's `print(main())` for `value`. */
function pyStr(value: unknown): string {
  return typeof value === "number" && !Number.isInteger(value)
    ? pyFloatRepr(value)
    : String(value);
}

/** The module's `main()`: the value to print, or the help text. */
function cliMain(args: CliArgs): string {
  if (args.help) return CLI_HELP;
  if (args.choice !== undefined) return pyStr(choice(args.choice));
  if (args.integer !== undefined) {
    return pyStr(randint(1, args.integer as number));
  }
  if (args.float !== undefined) return pyFloatRepr(uniform(0, args.float));
  if (args.input.length === 1) {
    const val = args.input[0];
    const n = pyInt(val);
    if (n !== undefined) {
      try {
        return pyStr(randint(1, n as number));
      } catch (err) {
        // Python's `except ValueError` also catches randint's empty range.
        if (!(err instanceof RangeError)) throw err;
      }
    }
    const f = pyFloat(val);
    if (f !== undefined) return pyFloatRepr(uniform(0, f));
    return pyStr(choice(val.split(/\s+/).filter((s) => s !== "")));
  }
  if (args.input.length >= 2) return pyStr(choice(args.input));
  return CLI_HELP;
}

/** Runs the command line on `argv`; never throws. */
function cli(argv: string[]): CliResult {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    return {
      code: 2,
      stdout: "",
      stderr: `${CLI_USAGE}${CLI_PROG}: error: ${err.message}\n`,
    };
  }
  if (args.help) return { code: 0, stdout: CLI_HELP, stderr: "" };
  try {
    return { code: 0, stdout: cliMain(args) + "\n", stderr: "" };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    // Python ends with a traceback whose last line is "ValueError: ..."
    // (IndexError for an empty choice); the method prefix is ours.
    const msg = err.message.replace(/^[a-z]+: /, "");
    const kind = msg.startsWith("Cannot choose") ? "IndexError" : "ValueError";
    return { code: 1, stdout: "", stderr: `${kind}: ${msg}\n` };
  }
}

if (import.meta.main) {
  const { code, stdout, stderr } = cli(Deno.args);
  if (stdout) Deno.stdout.writeSync(new TextEncoder().encode(stdout));
  if (stderr) Deno.stderr.writeSync(new TextEncoder().encode(stderr));
  Deno.exit(code);
}
