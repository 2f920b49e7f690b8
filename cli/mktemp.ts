/**
 * GNU coreutils `mktemp` on tempkit's exclusive creation, for the common
 * cases: `-d`, `-p DIR`/`--tmpdir[=DIR]`, `-t`, `--suffix=SUFF`, `-q`, `-u`,
 * `--help`, `--version`, and a TEMPLATE whose last run of at least 3 `X`s
 * becomes random `[A-Za-z0-9]` characters (default `tmp.XXXXXXXXXX` in
 * `$TMPDIR` or `/tmp`). It prints the path it created, or a message on
 * stderr with exit status 1, usage errors included: that is GNU's status,
 * where the package's other command lines exit 2 for a usage error, as
 * argparse does. `$TMPDIR` is read only when `--allow-env`
 * covers it; a missing `--allow-write` (or, for `-u`, `--allow-read`) is that
 * message, naming the flag, never a prompt; 10 names are tried (coreutils
 * tries many more when there are few `X`s).
 *
 * ```sh
 * deno run --allow-env=TMPDIR --allow-write=/tmp jsr:@tempkit/tempkit/cli/mktemp -d build.XXXXXX
 * ```
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import denoConfig from "../deno.json" with { type: "json" };
import { runAsync } from "../_io.ts";
import {
  ATTEMPTS,
  createNew,
  explain,
  grantedDir,
  newDir,
  newFile,
  notGranted,
  type Target,
} from "../_create.ts";
import {
  grantedEnv,
  isGranted,
  isSandboxDenial,
  osReason,
} from "../_permissions.ts";
import { join } from "../path.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `n` characters of [A-Za-z0-9], uniform (rejection sampling), as mktemp uses. */
function randomAlnum(n: number): string {
  let out = "";
  while (out.length < n) {
    for (const byte of crypto.getRandomValues(new Uint8Array(n))) {
      // 248 = 4 * 62: bytes above it would favour the first characters.
      if (byte < 248 && out.length < n) out += ALNUM[byte % 62];
    }
  }
  return out;
}

/** A usage error: message and whether to add the `--help` hint. */
class UsageError extends Error {
  constructor(message: string, readonly hint = false) {
    super(message);
  }
}

interface MktempArgs {
  /** `--help` or `--version`: print it and exit, as GNU does when it meets one. */
  show?: "help" | "version";
  directory: boolean;
  dryRun: boolean;
  quiet: boolean;
  deprecatedT: boolean;
  useDestDir: boolean;
  destDir?: string;
  suffix?: string;
  templates: string[];
}

/** The long options, and whether each takes an argument. */
const LONG_OPTIONS: Readonly<Record<string, "none" | "required" | "optional">> =
  {
    directory: "none",
    "dry-run": "none",
    quiet: "none",
    suffix: "required",
    tmpdir: "optional",
    help: "none",
    version: "none",
  };
/** The short options, and the long one each stands for. */
const SHORT_OPTIONS: Readonly<Record<string, string>> = {
  d: "directory",
  u: "dry-run",
  q: "quiet",
  p: "tmpdir",
  t: "t",
};

/** `--help`: GNU mktemp's usage (every option of it is supported), then ours. */
const USAGE = `Usage: mktemp [OPTION]... [TEMPLATE]
Create a temporary file or directory, safely, and print its name.
TEMPLATE must contain at least 3 consecutive 'X's in last component.
If TEMPLATE is not specified, use tmp.XXXXXXXXXX, and --tmpdir is implied.
Files are created u+rw, and directories u+rwx, minus umask restrictions.

  -d, --directory     create a directory, not a file
  -u, --dry-run       do not create anything; merely print a name (unsafe)
  -q, --quiet         suppress diagnostics about file/dir-creation failure
      --suffix=SUFF   append SUFF to TEMPLATE; SUFF must not contain a slash.
                        This option is implied if TEMPLATE does not end in X
  -p DIR, --tmpdir[=DIR]  interpret TEMPLATE relative to DIR; if DIR is not
                        specified, use $TMPDIR if set, else /tmp.  With
                        this option, TEMPLATE must not be an absolute name;
                        unlike with -t, TEMPLATE may contain slashes, but
                        mktemp creates only the final component
  -t                  interpret TEMPLATE as a single file name component,
                        relative to a directory: $TMPDIR, if set; else the
                        directory specified via -p; else /tmp [deprecated]
      --help        display this help and exit
      --version     output version information and exit

Under Deno's sandbox: creating needs --allow-write for the directory (-u needs
--allow-read), and $TMPDIR is read only with --allow-env=TMPDIR; a missing
grant is an error naming the flag, never a prompt. 10 names are tried.
tempkit's mktemp: cli/mktemp.ts of <https://jsr.io/@tempkit/tempkit>`;

/**
 * GNU getopt_long's rules that `parseArgs` cannot express, applied first:
 * a long option may be shortened to any unique prefix (`--suf=.x`);
 * `--tmpdir` takes its DIR only after `=`, while `--suffix`, `-p` and
 * `-pDIR` take the next word even when it starts with `-`; a flag given a
 * value is an error; and parsing stops at `--help` or `--version`, which
 * GNU acts on as soon as it meets it (`--bogus --help` is an error,
 * `--help --bogus` the help). The result is `argv` in the one shape
 * `parseArgs` reads exactly as GNU would: `--name=value` and `--name`,
 * `-t`, operands, then `--` and what follows it.
 */
function getoptLong(argv: string[]): string[] | "help" | "version" {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const given = arg.slice(2, eq < 0 ? undefined : eq);
      const name = longName(arg, given);
      const value = eq < 0 ? undefined : arg.slice(eq + 1);
      const takes = LONG_OPTIONS[name];
      if (takes === "none" && value !== undefined) {
        throw new UsageError(
          `option '--${name}' doesn't allow an argument`,
          true,
        );
      }
      if (name === "help" || name === "version") return name;
      if (takes === "none") out.push(`--${name}`);
      else if (value !== undefined || takes === "optional") {
        out.push(`--${name}=${value ?? ""}`);
      } else if (i + 1 < argv.length) out.push(`--${name}=${argv[++i]}`);
      else {
        throw new UsageError(`option '--${name}' requires an argument`, true);
      }
      continue;
    }
    if (arg.length < 2 || !arg.startsWith("-")) {
      out.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const name = SHORT_OPTIONS[arg[j]];
      if (name === undefined) {
        throw new UsageError(`invalid option -- '${arg[j]}'`, true);
      }
      if (name === "t") {
        out.push("-t");
        continue;
      }
      if (name !== "tmpdir") {
        out.push(`--${name}`);
        continue;
      }
      if (j + 1 < arg.length) out.push(`--tmpdir=${arg.slice(j + 1)}`);
      else if (i + 1 < argv.length) out.push(`--tmpdir=${argv[++i]}`);
      else throw new UsageError(`option requires an argument -- 'p'`, true);
      break;
    }
  }
  return out;
}

/** The long option `--given...` stands for, as a unique prefix or in full. */
function longName(arg: string, given: string): string {
  if (Object.hasOwn(LONG_OPTIONS, given)) return given;
  const matches = Object.keys(LONG_OPTIONS).filter((o) => o.startsWith(given));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new UsageError(`unrecognized option '${arg}'`, true);
  }
  throw new UsageError(
    `option '${arg}' is ambiguous; possibilities:${
      matches.map((m) => ` '--${m}'`).join("")
    }`,
    true,
  );
}

/** The command line, GNU's way (see {@linkcode getoptLong}). */
function parseMktempArgs(argv: string[]): MktempArgs {
  const canonical = getoptLong(argv);
  const none: MktempArgs = {
    directory: false,
    dryRun: false,
    quiet: false,
    deprecatedT: false,
    useDestDir: false,
    templates: [],
  };
  if (typeof canonical === "string") return { ...none, show: canonical };
  const parsed = parseArgs(canonical, {
    boolean: ["directory", "dry-run", "quiet", "t"],
    string: ["suffix", "tmpdir", "_"],
    "--": true,
  });
  return {
    directory: parsed.directory,
    dryRun: parsed["dry-run"],
    quiet: parsed.quiet,
    deprecatedT: parsed.t,
    useDestDir: parsed.t || parsed.tmpdir !== undefined,
    destDir: parsed.tmpdir,
    suffix: parsed.suffix,
    templates: [...parsed._.map(String), ...parsed["--"]],
  };
}

/** The env var when set, non-empty and readable without a prompt. */
function tmpdirEnv(): string | undefined {
  return grantedEnv("TMPDIR") || undefined;
}

/** coreutils' `file_name_concat` for a template under a directory. */
function concatDir(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * The reason after "failed to create ... via template '...': ": the strerror
 * text inside a Deno I/O error's message, or a sandbox denial's message
 * without its own "mktemp: ".
 */
function osMessage(err: unknown): string {
  if (err instanceof Deno.errors.AlreadyExists) return "File exists";
  if (isSandboxDenial(err)) return err.message.replace(/^mktemp: /, "");
  return osReason(err);
}

/** Runs the `mktemp` command line; returns the exit status. */
async function mktempMain(argv: string[]): Promise<number> {
  let args: MktempArgs;
  try {
    args = parseMktempArgs(argv);
    if (args.templates.length > 1) {
      throw new UsageError("too many templates", true);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`mktemp: ${err.message}`);
    if (err.hint) console.error("Try 'mktemp --help' for more information.");
    return 1;
  }
  if (args.show === "help") {
    console.log(USAGE);
    return 0;
  }
  if (args.show === "version") {
    console.log(`mktemp (@tempkit/tempkit) ${denoConfig.version}`);
    return 0;
  }
  let template = args.templates[0];
  if (template === undefined) {
    template = "tmp.XXXXXXXXXX";
    args.useDestDir = true;
  }
  const fail = (message: string): number => {
    console.error(`mktemp: ${message}`);
    return 1;
  };
  let suffixStart: number;
  if (args.suffix !== undefined) {
    if (!template.endsWith("X")) {
      return fail(`with --suffix, template '${template}' must end in X`);
    }
    suffixStart = template.length;
    template += args.suffix;
  } else {
    suffixStart = template.lastIndexOf("X") + 1 || template.length;
  }
  const suffix = template.slice(suffixStart);
  if (suffix.includes("/")) {
    return fail(`invalid suffix '${suffix}', contains directory separator`);
  }
  let xCount = 0;
  while (template[suffixStart - 1 - xCount] === "X") xCount++;
  if (xCount < 3) return fail(`too few X's in template '${template}'`);
  // Whether $TMPDIR, had it been readable, would have chosen the directory.
  let tmpdirUnread = false;
  if (args.useDestDir) {
    tmpdirUnread = (args.deprecatedT || !args.destDir) &&
      tmpdirEnv() === undefined && !isGranted("env", "TMPDIR");
    let dir: string;
    if (args.deprecatedT) {
      dir = tmpdirEnv() || args.destDir || "/tmp";
      if (template.includes("/")) {
        return fail(
          `invalid template, '${template}', contains directory separator`,
        );
      }
    } else {
      dir = args.destDir || tmpdirEnv() || "/tmp";
      if (template.startsWith("/")) {
        return fail(
          `invalid template, '${template}'; with --tmpdir, it may not be absolute`,
        );
      }
    }
    template = concatDir(dir, template);
    suffixStart = template.length - suffix.length;
  }
  const head = template.slice(0, suffixStart - xCount);
  const slash = head.lastIndexOf("/");
  const t: Target = {
    fn: "mktemp",
    dir: head.slice(0, slash + 1),
    prefix: head.slice(slash + 1),
    suffix,
  };
  const randomPart = () => randomAlnum(xCount);
  const kind = args.directory ? "directory" : "file";
  try {
    const make = args.directory ? newDir : newFile;
    const path = args.dryRun
      ? dryRunName(t, randomPart)
      : (await runAsync(createNew(t, make, { randomPart }))).path;
    console.log(path);
    return 0;
  } catch (err) {
    if (args.quiet) return 1;
    const env = tmpdirUnread && isSandboxDenial(err)
      ? "; TMPDIR counts only with --allow-env=TMPDIR"
      : "";
    return fail(
      `failed to create ${kind} via template '${template}': ${
        osMessage(err)
      }${env}`,
    );
  }
}

/** `-u`: a name that does not exist now (unsafe, as mktemp warns). */
function dryRunName(t: Target, randomPart: () => string): string {
  // lstat needs read access: checked first, as creating checks write.
  const dir = t.dir || ".";
  if (!grantedDir("read", dir)) throw notGranted(t.fn, "read", dir);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = join(t.dir, t.prefix + randomPart() + t.suffix);
    try {
      Deno.lstatSync(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return path;
      throw explain(t.fn, dir, err);
    }
  }
  throw new Deno.errors.AlreadyExists("no unused name");
}

if (import.meta.main) Deno.exit(await mktempMain(Deno.args));
