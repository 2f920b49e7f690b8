// Private: the life cycle every tempfile handle shares. A handle is armed
// (what it made is removed when it is dropped) until it is dropped, kept or
// persisted; dropping is idempotent, and a removal that fails leaves it
// armed so that a later drop tries again. Handles still armed when the
// process ends normally are dropped at `unload`, and on the signals a
// program opts in to. Not exported from mod.ts; nothing here is part of the
// public API.

import { unlinkSync } from "node:fs";
import { unlink as unlinkAsync } from "node:fs/promises";
import { runAsync, runSync, type Step, type Task } from "./_io.ts";

/** What a handle does when it is dropped. */
export interface Release {
  /** Runs once, at the first drop, armed or not (closing a file). */
  close?(): void;
  /**
   * The task each drop runs while armed (none: nothing to remove); the
   * handle is disarmed once it succeeds.
   */
  remove?(): Task<void> | undefined;
}

const armed = new Set<Lifecycle>();
let listening = false;

/** Drops every armed handle; errors are swallowed, as the process is ending. */
export function dropAllArmed(): void {
  for (const life of [...armed]) {
    try {
      life.drop();
    } catch {
      // There is no one left to tell.
    }
  }
}

/** The state behind one handle; the handle's methods delegate here. */
export class Lifecycle {
  readonly #release: Release;
  #armed = false;
  #closed = false;

  constructor(release: Release, arm: boolean) {
    this.#release = release;
    if (arm) this.arm();
  }

  /** Whether dropping still removes what the handle made. */
  get armed(): boolean {
    return this.#armed;
  }

  /** Whether the handle was dropped (its file closed). */
  get closed(): boolean {
    return this.#closed;
  }

  arm(): void {
    if (this.#armed) return;
    this.#armed = true;
    armed.add(this);
    if (listening) return;
    listening = true;
    globalThis.addEventListener("unload", dropAllArmed);
  }

  disarm(): void {
    this.#armed = false;
    armed.delete(this);
  }

  /** Marks the handle closed without running `close` (it was done elsewhere). */
  markClosed(): void {
    this.#closed = true;
  }

  // The two drops share the close and the removal task; only the driver
  // differs (no generator of their own: one fewer on every disposal).
  drop(): void {
    this.#close();
    if (!this.#armed) return;
    const remove = this.#release.remove?.();
    if (remove !== undefined) runSync(remove);
    this.disarm();
  }

  async dropAsync(): Promise<void> {
    this.#close();
    if (!this.#armed) return;
    const remove = this.#release.remove?.();
    if (remove !== undefined) await runAsync(remove);
    this.disarm();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release.close?.();
  }
}

/** The common close: `file.close()`, fine when the caller closed it already. */
export function closeFile(file: Deno.FsFile): void {
  try {
    file.close();
  } catch (err) {
    if (!(err instanceof Deno.errors.BadResource)) throw err;
  }
}

/** Removes `path` (a file); already gone is fine. */
export function* removeFile(path: string): Task<void> {
  try {
    // The step is yielded directly (not through perform()): one generator
    // fewer on every disposal.
    yield unlink(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

/**
 * unlink(2) of a file the handle made. `Deno.remove` costs a `statx` more
 * (it looks first, to choose between unlink and rmdir): a sixth of a whole
 * create-and-dispose cycle on tmpfs. Any failure but absence is asked of
 * `Deno.remove` again, so that the error is Deno's own.
 */
function unlink(path: string): Step<void> {
  return {
    sync: () => {
      try {
        unlinkSync(path);
      } catch (err) {
        if (!isGone(err)) Deno.removeSync(path);
      }
    },
    async: () =>
      unlinkAsync(path).catch((err) =>
        isGone(err) ? undefined : Deno.remove(path)
      ),
  };
}

function isGone(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "ENOENT";
}

/** What a handle holding an open file does: close it; armed, remove `path`. */
export class FileRelease implements Release {
  readonly #file: Deno.FsFile;
  readonly #path: string | undefined;

  constructor(file: Deno.FsFile, path: string | undefined) {
    this.#file = file;
    this.#path = path;
  }

  close(): void {
    closeFile(this.#file);
  }

  remove(): Task<void> | undefined {
    return this.#path === undefined ? undefined : removeFile(this.#path);
  }
}
