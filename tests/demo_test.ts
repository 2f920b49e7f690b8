import { assertEquals, assertMatch } from "@std/assert";
import { findPython, run } from "./_oracle.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const DEMO = `${ROOT}examples/demo.ts`;

/**
 * Runs `deno args` with `TMPDIR=dir`; checks that it succeeds, uses `dir`
 * and leaves nothing in it; returns what it printed.
 */
async function runDemo(args: string[], dir: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { TMPDIR: dir, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(out.success, true, new TextDecoder().decode(out.stderr));
  assertMatch(text, new RegExp(`gettempdir\\(\\) is ${dir}\\n`));
  assertMatch(text, /exists after the block\? false/);
  assertEquals([...Deno.readDirSync(dir)], [], "the demo left files");
  return text;
}

Deno.test("demo runs under least privilege and leaves nothing behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tempkit-demo-test-" });
  try {
    const text = await runDemo([
      "run",
      "--no-prompt",
      "--allow-env=TMPDIR,TEMP,TMP",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      DEMO,
    ], dir);
    assertMatch(text, /created \S+ \(mode 0o700\)/);
    assertMatch(text, /created tmp[0-9a-f]{16}\.txt in it \(mode 0o600\)/);

    const python = findPython();
    if (python === undefined) return;
    const shown = /random\(\) +(\S+)/.exec(text)?.[1];
    const want = new TextDecoder().decode(
      await run(
        python.cmd,
        ["-c", "import random; print(random.Random(42).random())"],
        undefined,
        python.env,
      ),
    ).trim();
    assertEquals(shown, want);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task demo, as the README gives it, leaves nothing behind", async () => {
  // The task grants /tmp, so a fresh TMPDIR below it is inside the grant and
  // shows whether the task's own flags suffice and what the demo leaves.
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "tempkit-task-" });
  try {
    await runDemo(["task", "demo"], dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
