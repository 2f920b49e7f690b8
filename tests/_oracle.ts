// Helpers for differential tests against programs on the machine (GNU
// coreutils, CPython). A missing program skips the test with a message
// rather than failing it, so the suite still runs where they are absent.

/**
 * The project's `deno.json`, for a child `deno run` of a script outside the
 * project: without it the child cannot resolve the import map's `@std/...`.
 */
export const DENO_CONFIG: string =
  new URL("../deno.json", import.meta.url).pathname;

/** Runs `cmd args`, feeding `stdin`; returns stdout bytes, or throws with stderr. */
export async function run(
  cmd: string,
  args: string[],
  stdin?: string | Uint8Array,
  env?: Record<string, string>,
): Promise<Uint8Array> {
  const child = new Deno.Command(cmd, {
    args,
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(
      typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin,
    );
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} exited with ${out.code}: ${err}`);
  }
  return out.stdout;
}

/** True when `cmd` can be started (it answers `--version`). */
export function have(cmd: string, env?: Record<string, string>): boolean {
  try {
    return new Deno.Command(cmd, {
      args: ["--version"],
      env,
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/**
 * The command prefix that runs a child without the privileges that bypass
 * file permissions: none for an ordinary user; for root, `setpriv` dropping
 * the capabilities that let it read, write and search anything, so that a
 * read-only file really is read-only to the child. `undefined` when root has
 * no `setpriv`: the test cannot run.
 */
export function unprivileged(): string[] | undefined {
  if (Deno.uid() !== 0) return [];
  if (!have("setpriv")) return undefined;
  return [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner",
    "--",
  ];
}

/**
 * {@linkcode unprivileged}, or, where it cannot be had, a skipped step in
 * `t` that says so and `undefined`.
 */
export async function unprivilegedOrSkip(
  t: Deno.TestContext,
): Promise<string[] | undefined> {
  const wrap = unprivileged();
  if (wrap === undefined) {
    await t.step({
      name: "skipped: root without setpriv",
      ignore: true,
      fn() {},
    });
  }
  return wrap;
}

/** The environment that selects CPython 3.13 under pyenv. */
export const PY313_ENV: Record<string, string> = { PYENV_VERSION: "3.13.0" };

/**
 * The best CPython on the machine: `python3.13` (through pyenv when needed),
 * else `python3`; `undefined` when there is none.
 */
export function findPython():
  | { cmd: string; env?: Record<string, string> }
  | undefined {
  if (have("python3.13", PY313_ENV)) {
    return { cmd: "python3.13", env: PY313_ENV };
  }
  if (have("python3")) return { cmd: "python3" };
  return undefined;
}

/** Splits NUL-terminated output (`-z`) into strings. */
export function splitNul(bytes: Uint8Array): string[] {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const parts = text.split("\0");
  parts.pop();
  return parts;
}

/** True when {@linkcode denoUnderPty} can run: script(1) and timeout(1). */
export function havePty(): boolean {
  return have("script") && have("timeout");
}

/**
 * `deno run --config <project> <args>` under a pseudo-terminal, without
 * `--no-prompt` and killed after `secs` seconds: a permission prompt waits
 * for an answer there, so a run that ends in time asked nothing (its output
 * shows any prompt text). `--foreground` and `SHELL=/bin/sh`: otherwise a
 * forking shell leaves Deno stopped by SIGTTOU at its first terminal access.
 */
export function denoUnderPty(
  args: string,
  secs: number,
): Promise<Deno.CommandOutput> {
  return new Deno.Command("script", {
    args: [
      "-qec",
      `timeout --foreground ${secs} ${Deno.execPath()} run --config ${DENO_CONFIG} ${args}`,
      "/dev/null",
    ],
    env: { NO_COLOR: "1", SHELL: "/bin/sh" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

/**
 * A fresh tmpfs of `size` bytes mounted on a new directory, unmounted and
 * removed on disposal; `undefined` where mounting is not allowed (not root,
 * or no `mount`). A file system of the test's own: Deno reserves `/dev/shm`
 * to `--allow-all`, and a tiny one can be filled in a moment.
 */
export function mountTmpfs(
  size: number,
): ({ path: string } & Disposable) | undefined {
  const path = Deno.makeTempDirSync({ prefix: "tempkit_tmpfs_" });
  let mounted = false;
  try {
    mounted = Deno.uid() === 0 && new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path],
      stderr: "null",
    }).outputSync().success;
  } catch {
    // no mount(8)
  }
  if (!mounted) {
    Deno.removeSync(path);
    return undefined;
  }
  return {
    path,
    [Symbol.dispose]() {
      new Deno.Command("umount", { args: [path] }).outputSync();
      Deno.removeSync(path, { recursive: true });
    },
  };
}
