// tempfile.ts against Deno's built-ins on the same file system. Each bench
// creates in its own fresh directory with a fixed iteration count, so the
// contender and its baseline see directories of the same size. Everything
// lives inside one TemporaryDirectory, which the `unload` safety net removes
// when the run ends.
import {
  mkdtemp,
  mkdtempSync,
  mkstemp,
  mkstempSync,
  NamedTemporaryFile,
  TemporaryDirectory,
} from "../tempfile.ts";

const root = new TemporaryDirectory({ prefix: "tempfile_bench_" });
const RUN = { n: 500, warmup: 50 };

/** A fresh, empty directory for one bench. */
function fresh(): string {
  return mkdtempSync({ dir: root.path });
}

function bench(
  name: string,
  group: string,
  baseline: boolean,
  make: (dir: string) => void,
): void {
  const dir = fresh();
  Deno.bench(name, { group, baseline, ...RUN }, () => make(dir));
}

function benchAsync(
  name: string,
  group: string,
  baseline: boolean,
  make: (dir: string) => Promise<unknown>,
): void {
  const dir = fresh();
  Deno.bench(name, { group, baseline, ...RUN }, async () => {
    await make(dir);
  });
}

bench("Deno.makeTempFileSync", "file sync", true, (dir) => {
  Deno.makeTempFileSync({ dir });
});
bench("mkstempSync", "file sync", false, (dir) => {
  mkstempSync({ dir });
});

benchAsync("Deno.makeTempFile", "file async", true, (dir) => {
  return Deno.makeTempFile({ dir });
});
benchAsync("mkstemp", "file async", false, (dir) => mkstemp({ dir }));

bench("Deno.makeTempDirSync", "dir sync", true, (dir) => {
  Deno.makeTempDirSync({ dir });
});
bench("mkdtempSync", "dir sync", false, (dir) => {
  mkdtempSync({ dir });
});

benchAsync("Deno.makeTempDir", "dir async", true, (dir) => {
  return Deno.makeTempDir({ dir });
});
benchAsync("mkdtemp", "dir async", false, (dir) => mkdtemp({ dir }));

bench(
  "Deno.makeTempFileSync + removeSync",
  "file create and remove",
  true,
  (dir) => {
    Deno.removeSync(Deno.makeTempFileSync({ dir }));
  },
);
bench("using NamedTemporaryFile", "file create and remove", false, (dir) => {
  using _tmp = new NamedTemporaryFile({ dir });
});

benchAsync(
  "Deno.makeTempFile + remove",
  "file create and remove async",
  true,
  async (dir) => {
    await Deno.remove(await Deno.makeTempFile({ dir }));
  },
);
benchAsync(
  "await using NamedTemporaryFile.create",
  "file create and remove async",
  false,
  async (dir) => {
    await using _tmp = await NamedTemporaryFile.create({ dir });
  },
);

bench(
  "Deno.makeTempDirSync + removeSync",
  "dir create and remove",
  true,
  (dir) => {
    Deno.removeSync(Deno.makeTempDirSync({ dir }), { recursive: true });
  },
);
bench("using TemporaryDirectory", "dir create and remove", false, (dir) => {
  using _tmp = new TemporaryDirectory({ dir });
});
