import { LanguageSupport, StreamLanguage, StringStream } from '@codemirror/language';

// The SynQ language as the server's compiler reads it (docs/synq-language.md).
const KEYWORDS = new Set([
  'qubit',
  'quantum',
  'measure',
  'as',
  'if',
  'then',
  'kernel',
  'call',
  'let',
  'fn',
  'not',
  'and',
  'or'
]);
const GATES = new Set(['h', 'x', 'y', 'z', 'cx', 'bell_pair', 'rx', 'ry', 'rz', 'p']);
const ATOMS = new Set(['pi', 'true', 'false']);
const DEFINERS = new Set(['kernel', 'fn', 'let']);
const TYPES = new Set(['angle', 'qubit']);

interface IState {
  /** The previous word was `kernel`, `fn` or `let`: this one is a definition. */
  defining: boolean;
}

/**
 * A stream tokenizer for SynQ: keywords, gate names, `pi` and numbers, comments, the
 * `#[experimental(...)]` attribute lines, and the names `kernel`, `fn` and `let` define.
 */
export const synqStreamParser = {
  name: 'synq',
  startState: (): IState => ({ defining: false }),
  token(stream: StringStream, state: IState): string | null {
    if (stream.eatSpace()) {
      return null;
    }
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.sol() && stream.match('#[')) {
      stream.skipToEnd();
      return 'meta';
    }
    if (stream.match(/^\d+(\.\d+)?/)) {
      return 'number';
    }
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const name = word[0];
      if (state.defining) {
        state.defining = false;
        return 'def';
      }
      if (DEFINERS.has(name)) {
        state.defining = true;
        return 'keyword';
      }
      if (KEYWORDS.has(name)) {
        return TYPES.has(name) && stream.string.slice(0, stream.start).trim().endsWith('(')
          ? 'type'
          : 'keyword';
      }
      if (TYPES.has(name)) {
        return 'type';
      }
      if (GATES.has(name)) {
        return 'builtin';
      }
      if (ATOMS.has(name)) {
        return 'atom';
      }
      return 'variableName';
    }
    if (stream.match(/^[[\](){},;]/)) {
      return 'bracket';
    }
    if (stream.match(/^[-+*/=<>!]/)) {
      return 'operator';
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//' } }
};

export const synqLanguage = StreamLanguage.define(synqStreamParser);

export function synq(): LanguageSupport {
  return new LanguageSupport(synqLanguage);
}
