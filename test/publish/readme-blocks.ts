/** The TypeScript examples of README.md, which the packed-tarball test compiles. */

export interface Block {
  /** README line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** Fenced as ```ts nocompile: left out of the compile on purpose. */
  readonly nocompile: boolean;
}

/** The ```ts / ```typescript blocks of a markdown text. */
export function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(\s+.*)?$/.exec(lines[i].trim());
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    blocks.push({ line: start + 1, code: body.join('\n'), nocompile: /\bnocompile\b/.test(open[2] ?? '') });
  }
  return blocks;
}
