export class Automaton {
  static build(words: readonly string[]): Automaton {
    throw new Error('not implemented');
  }
  /** Calls onMatch(wordIndex, endOffset) for every occurrence of every word in text. */
  scan(text: string, onMatch: (wordIndex: number, end: number) => void): void {
    throw new Error('not implemented');
  }
  /** Indexes of the words that occur at least once in text. */
  present(text: string): Set<number> {
    throw new Error('not implemented');
  }
}
