/**
 * A five-minute tour of tempkit: `deno task demo`.
 *
 * Runs under least privilege: read and write only in the temporary
 * directory, and only the temporary-directory variables readable
 * (`--allow-env=TMPDIR,TEMP,TMP --allow-read=/tmp --allow-write=/tmp`). Everything it creates lives inside
 * one TemporaryDirectory, which `using` removes on the way out.
 *
 * @module
 */

import {
  append,
  basename,
  dirname,
  exists,
  gettempdir,
  join,
  NamedTemporaryFile,
  Random,
  random,
  readFile,
  readLines,
  size,
  TemporaryDirectory,
  writeFile,
  writeLines,
} from "../mod.ts";

const say = (line = "") => console.log(line);

say("tempkit demo: Python's tempfile and random, exact file and path helpers.");
say();

say(
  "1. tempfile: a TemporaryDirectory that removes itself at the end of `using`",
);
say(`   gettempdir() is ${gettempdir()}`);
let kept = "";
{
  using dir = new TemporaryDirectory({ prefix: "tempkit-demo-" });
  kept = dir.path;
  say(
    `   created ${dir.path} (mode 0o${
      (Deno.statSync(dir.path).mode! & 0o777).toString(8)
    })`,
  );

  using file = new NamedTemporaryFile({ dir: dir.path, suffix: ".txt" });
  file.file.writeSync(
    new TextEncoder().encode("written through the open handle\n"),
  );
  say(
    `   created ${basename(file.path)} in it (mode 0o${
      (Deno.statSync(file.path).mode! & 0o777).toString(8)
    })`,
  );
  say();

  say("2. random: the same seed gives CPython's very numbers");
  say(
    "   (python3 -c 'import random; r = random.Random(42); print(r.random())'",
  );
  say("    prints 0.6394267984578837, as below)");
  const rng = new Random(42);
  say("   new Random(42):");
  say(`     random()          ${rng.random()}`);
  say(
    `     randint(1, 6) x 5 ${
      Array.from({ length: 5 }, () => rng.randint(1, 6)).join(" ")
    }`,
  );
  say(`     choice(fruit)     ${rng.choice(["apple", "pear", "fig", "plum"])}`);
  say(
    `     shuffle(1..8)     ${rng.shuffle([1, 2, 3, 4, 5, 6, 7, 8]).join(" ")}`,
  );
  say(
    `   module-level functions share one OS-seeded generator: random.randint(1, 6) = ${
      random.randint(1, 6)
    }`,
  );
  say();

  say("3. stdfs: exact text semantics");
  const notes = join(dir.path, "notes.txt");
  await writeFile(notes, "first line\r\nsecond line");
  say(`   writeFile added the final LF: ${await size(notes)} bytes on disk`);
  say(
    `   readFile folds CRLF and drops the final LF: ${
      JSON.stringify(await readFile(notes))
    }`,
  );
  await append(notes, "\nthird line");
  say(`   after append: ${JSON.stringify(await readLines(notes))}`);
  const list = join(dir.path, "list.txt");
  await writeLines(list, ["alpha", "beta"]);
  say(
    `   writeLines/readLines round-trip: ${
      JSON.stringify(await readLines(list))
    }`,
  );
  say();

  say("4. path: GNU basename/dirname, Python's join");
  say(`   basename("/foo/bar/") = ${JSON.stringify(basename("/foo/bar/"))}`);
  say(`   dirname("/foo/bar/")  = ${JSON.stringify(dirname("/foo/bar/"))}`);
  say(`   join("/var", "/abs")  = ${JSON.stringify(join("/var", "/abs"))}`);
  say();
}
say(`5. cleanup: ${kept} exists after the block? ${await exists(kept)}`);
