// Private: what `deno info` does not report and the store cannot capture,
// found by a token scan of each source (comments, strings, template text and
// regular expressions skipped): `import()` of a non-literal specifier, uses
// of `import.meta.url` and its kin (in a stored copy they name the store's
// file), and Workers (refused). A scan, not a parser: it errs toward a
// warning. Not exported from mod.ts.

/** What a scan found. */
export interface ScanFinding {
  kind: "non-literal-import" | "import-meta" | "worker";
  /** 1-based line. */
  line: number;
  /** The construct, as a reader would look for it. */
  what: string;
}

type Token =
  | { t: "word"; v: string; line: number }
  | { t: "punct"; v: string; line: number }
  | { t: "string"; line: number } // a literal with no substitution
  | { t: "template"; line: number }; // a template with substitutions

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;
// After these, a `/` starts a regular expression rather than a division.
const BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

/** The tokens of `text` that matter to the patterns below. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const braces: number[] = []; // brace depth at each open `${`
  let depth = 0;
  let line = 1;
  let i = 0;
  const n = text.length;
  const regexAllowed = () => {
    const last = out[out.length - 1];
    if (last === undefined) return true;
    if (last.t === "word") return BEFORE_REGEX.has(last.v);
    if (last.t === "punct") return !/^[)\]}]$/.test(last.v);
    return false;
  };
  const skipQuoted = (q: string) => {
    for (i++; i < n && text[i] !== q; i++) {
      if (text[i] === "\\") i++;
      if (text[i] === "\n") line++;
    }
    i++;
  };
  // Template text from i (just after "`" or a closing "}") to its end or
  // the next "${"; returns true when it stopped at a substitution.
  const templateText = (): boolean => {
    for (; i < n; i++) {
      const c = text[i];
      if (c === "\\") i++;
      else if (c === "\n") line++;
      else if (c === "`") {
        i++;
        return false;
      } else if (c === "$" && text[i + 1] === "{") {
        i += 2;
        return true;
      }
    }
    return false;
  };
  while (i < n) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      for (; i < stop; i++) if (text[i] === "\n") line++;
    } else if (c === "'" || c === '"') {
      const at = line;
      skipQuoted(c);
      out.push({ t: "string", line: at });
    } else if (c === "`") {
      const at = line;
      i++;
      if (templateText()) {
        out.push({ t: "template", line: at });
        braces.push(depth++);
      } else out.push({ t: "string", line: at });
    } else if (
      c === "}" && braces.length > 0 && braces[braces.length - 1] === depth - 1
    ) {
      braces.pop();
      depth--;
      i++;
      if (templateText()) braces.push(depth++);
    } else if (c === "/" && regexAllowed()) {
      let inClass = false;
      for (i++; i < n && text[i] !== "\n"; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "[") inClass = true;
        else if (text[i] === "]") inClass = false;
        else if (text[i] === "/" && !inClass) break;
      }
      i++;
      while (i < n && WORD.test(text[i])) i++;
      out.push({ t: "punct", v: "/re/", line });
    } else if (WORD.test(c)) {
      const start = i;
      while (i < n && WORD.test(text[i])) i++;
      out.push({ t: "word", v: text.slice(start, i), line });
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      out.push({ t: "punct", v: c, line });
      i++;
    }
  }
  return out;
}

const META = new Set(["url", "resolve", "dirname", "filename"]);

/** Scans one module's source. */
export function scan(text: string): ScanFinding[] {
  const tokens = tokenize(text);
  const out: ScanFinding[] = [];
  const is = (k: number, t: Token["t"], v?: string) => {
    const tok = tokens[k];
    return tok !== undefined && tok.t === t &&
      (v === undefined || ("v" in tok && tok.v === v));
  };
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.t !== "word" || is(k - 1, "punct", ".")) continue;
    if (tok.v === "import" && is(k + 1, "punct", "(")) {
      const literal = is(k + 2, "string") &&
        (is(k + 3, "punct", ")") || is(k + 3, "punct", ","));
      if (!literal) {
        out.push({
          kind: "non-literal-import",
          line: tok.line,
          what: "import(<expression>)",
        });
      }
    } else if (
      tok.v === "import" && is(k + 1, "punct", ".") &&
      is(k + 2, "word", "meta") &&
      is(k + 3, "punct", ".") && tokens[k + 4]?.t === "word" &&
      META.has((tokens[k + 4] as { v: string }).v)
    ) {
      const name = (tokens[k + 4] as { v: string }).v;
      out.push({
        kind: "import-meta",
        line: tok.line,
        what: `import.meta.${name}`,
      });
    } else if (
      tok.v === "new" &&
      (is(k + 1, "word", "Worker") || is(k + 1, "word", "SharedWorker")) &&
      is(k + 2, "punct", "(")
    ) {
      const name = (tokens[k + 1] as { v: string }).v;
      out.push({ kind: "worker", line: tok.line, what: `new ${name}()` });
    }
  }
  return out;
}
