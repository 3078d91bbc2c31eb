// The examples of the README and of --help, as the examples test and the argv test read them.

/** `labelmap ...` command lines of the README's sh and yaml code blocks. */
export function readmeExamples(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.matchAll(/^```(sh|yaml)\n([\s\S]*?)^```$/gm)) {
    for (const line of block[2]!.split('\n')) {
      const m = /(?:^|&&\s*|run:\s*)(?:npx\s+)?(labelmap\s.*)$/.exec(line.trim());
      if (m) out.push(stripComment(m[1]!));
    }
  }
  return out;
}

/** The `$ labelmap ...` lines of the "Examples:" section of a --help text. */
export function helpExamples(help: string): string[] {
  const section = help.split(/^Examples:$/m)[1] ?? '';
  return [...section.matchAll(/^\s+\$ (labelmap\s.*)$/gm)].map((m) => stripComment(m[1]!));
}

function stripComment(line: string): string {
  return line.replace(/\s+#.*$/, '').trim();
}
