// The CPython the random tests compare against. DESIGN pins CPython 3.13
// for streams, error texts and the command line: findPython() tries
// `python3.13` (with PYENV_VERSION=3.13.0) before `python3`, and a
// `python3` of another version does not count for those. Any CPython 3
// reads and writes our states.

import { findPython } from "./_oracle.ts";

/** The CPython found, if any: its command and environment. */
export const PY: { cmd: string; env?: Record<string, string> } | undefined =
  findPython();

/** The [major, minor] version of the CPython found, or undefined. */
function pythonVersion(): number[] | undefined {
  if (PY === undefined) return undefined;
  try {
    const out = new Deno.Command(PY.cmd, {
      args: ["-c", "import sys; print(*sys.version_info[:2])"],
      env: PY.env,
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    if (!out.success) return undefined;
    return new TextDecoder().decode(out.stdout).trim().split(" ").map(Number);
  } catch {
    return undefined;
  }
}

/** The [major, minor] version of {@linkcode PY}, or undefined. */
export const PY_VERSION: number[] | undefined = pythonVersion();

/** True when {@linkcode PY} is CPython 3.13. */
export const PY313: boolean = PY_VERSION !== undefined &&
  PY_VERSION[0] === 3 && PY_VERSION[1] === 13;

/** What was found, for the message of a skipped test. */
export const PY_FOUND: string = PY === undefined
  ? "no python3.13 or python3 on PATH"
  : `${PY.cmd} is CPython ${PY_VERSION?.join(".") ?? "of unknown version"}`;

/** Says, once per test file, what `file` skips for want of CPython 3.13. */
export function reportSkips(file: string, what: string): void {
  if (!PY313) {
    console.log(
      `${file}: SKIPPING ${what}: they need CPython 3.13 and ${PY_FOUND}`,
    );
  }
}
