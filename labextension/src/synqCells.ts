import { StringStream } from '@codemirror/language';
import { RangeSetBuilder } from '@codemirror/state';
import { Decoration, DecorationSet, EditorView, ViewPlugin, ViewUpdate } from '@codemirror/view';

import { synqStreamParser } from './synqLanguage';

const MAGIC = /^\s*%%synq\b/;

/**
 * A SynQ token of a `%%synq` cell: `[from, to)` offsets in the cell's text.
 */
export interface ISynqToken {
  from: number;
  to: number;
  type: string;
}

/**
 * The SynQ tokens of a cell whose first line is `%%synq ...`, and none otherwise.
 *
 * The cell body is read by the same tokenizer as `.synq` files; the magic line itself
 * is left to the notebook's own (IPython) highlighting.
 */
export function synqCellTokens(text: string): ISynqToken[] {
  const lines = text.split('\n');
  if (!MAGIC.test(lines[0])) {
    return [];
  }
  const tokens: ISynqToken[] = [];
  const state = synqStreamParser.startState();
  let offset = lines[0].length + 1;
  for (const line of lines.slice(1)) {
    const stream = new StringStream(line, 4, 2);
    while (!stream.eol()) {
      const type = synqStreamParser.token(stream, state);
      if (stream.pos === stream.start) {
        stream.next(); // a tokenizer must move on; never loop on one character
      }
      if (type) {
        tokens.push({ from: offset + stream.start, to: offset + stream.pos, type });
      }
      stream.start = stream.pos;
    }
    offset += line.length + 1;
  }
  return tokens;
}

const marks = new Map<string, Decoration>();

function mark(type: string): Decoration {
  let decoration = marks.get(type);
  if (!decoration) {
    decoration = Decoration.mark({ class: `cm-synq-${type}` });
    marks.set(type, decoration);
  }
  return decoration;
}

function decorate(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const token of synqCellTokens(view.state.doc.toString())) {
    builder.add(token.from, token.to, mark(token.type));
  }
  return builder.finish();
}

/**
 * Highlights the body of `%%synq` cells as SynQ, in any editor of the notebook.
 */
export const synqCellHighlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;

    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }

    update(update: ViewUpdate): void {
      if (update.docChanged) {
        this.decorations = decorate(update.view);
      }
    }
  },
  { decorations: plugin => plugin.decorations }
);
