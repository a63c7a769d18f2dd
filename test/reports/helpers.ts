import JSZip from 'jszip';

// Reading generated Office files back: a .docx is a zip of XML parts; its text is in the w:t runs of
// word/document.xml, its tables in w:tbl / w:tr / w:tc.

export async function unzip(buf: ArrayBuffer | Buffer): Promise<JSZip> {
  return JSZip.loadAsync(buf);
}

export async function part(zip: JSZip, name: string): Promise<string> {
  const f = zip.file(name);
  if (!f) throw new Error(`no ${name} in the zip (has: ${Object.keys(zip.files).join(', ')})`);
  return f.async('string');
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Text of an XML fragment: its w:t contents joined. */
export function textOf(xml: string): string {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join('');
}

/** Every paragraph's text outside tables, in order. */
export function paragraphs(documentXml: string): string[] {
  const body = documentXml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  return [...body.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => textOf(m[0])).filter((t) => t !== '');
}

/** Every table as rows of cell texts. */
export function tables(documentXml: string): string[][][] {
  return [...documentXml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1].matchAll(/<w:tr[ >]([\s\S]*?)<\/w:tr>/g)].map((r) => [...r[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => textOf(c[1]))),
  );
}

/** A table found by its header's first two cells. */
export function tableWithHeader(documentXml: string, first: string, second: string): string[][] {
  const t = tables(documentXml).find((rows) => rows[0]?.[0] === first && rows[0]?.[1] === second);
  if (!t) throw new Error(`no table with header ${first} | ${second}`);
  return t;
}

/** Reads a web stream to its end, keeping only its byte count and (optionally) the bytes. */
export async function drain(body: ReadableStream<Uint8Array> | null, keep = true): Promise<{ bytes: number; data: Buffer }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (!body) return { bytes, data: Buffer.alloc(0) };
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (keep) chunks.push(Buffer.from(value));
  }
  return { bytes, data: Buffer.concat(chunks) };
}
