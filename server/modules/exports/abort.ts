import type { Context } from 'hono';

// A download that fails after its first byte must not end as a well-formed file: status 200 and
// the headers are already on the wire, so the connection is the only signal left. The Node
// adapter, given a stream that errors, may still end the response normally (it writes
// "Error: …" and the last chunk), so the export destroys the socket itself first: the client
// then sees a broken transfer (browser 下载失败, curl error 18, fetch "terminated").

type NodeBindings = { outgoing?: { destroy(err?: Error): unknown; destroyed?: boolean } };

/** The error handler of an export stream: logs, then aborts the HTTP connection (when there is one). */
export function abortDownload(c: Context, log: (err: unknown) => void): (err: unknown) => void {
  return (err) => {
    log(err);
    const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
    if (outgoing && !outgoing.destroyed) outgoing.destroy(err instanceof Error ? err : new Error(String(err)));
  };
}
