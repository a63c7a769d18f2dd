// Reading a server-sent event stream (GET /api/events) in tests: the data line of every event, as
// it arrives, until the stream ends or is cancelled.

export interface SseReader {
  /** Resolves when the stream has ended (closed by the server, cancelled, or aborted). */
  ended: Promise<void>;
  /** Cancels the stream and waits for the reader to stop. */
  cancel(): Promise<void>;
}

/** Calls onData with the text after `data:` of every event of the response body. */
export function readSse(res: Response, onData: (data: string) => void): SseReader {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, cut);
          text = text.slice(cut + 2);
          for (const line of block.split('\n')) if (line.startsWith('data:')) onData(line.slice(5).trim());
        }
      }
    } catch {
      // cancelled or aborted: the stream is over either way
    }
  })();
  return {
    ended,
    async cancel() {
      await reader.cancel().catch(() => {});
      await ended;
    },
  };
}
