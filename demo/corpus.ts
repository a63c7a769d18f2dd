import { fileURLToPath } from 'node:url';

/** Real publishers' feeds (see corpus/README.md), served by the fixture site and used by the tests. */
export const CORPUS_URL = new URL('./corpus/real-feeds/', import.meta.url);
export const CORPUS_DIR = fileURLToPath(CORPUS_URL);

/** Malformed and oddly encoded feeds that lenient readers still read (see corpus/README.md). */
export const LENIENT_CORPUS_URL = new URL('./corpus/lenient/', import.meta.url);

/** Generated malformed, oddly encoded and oddly dated feeds and list pages, with manifest.json (corpus/generate.ts). */
export const GENERATED_CORPUS_URL = new URL('./corpus/generated/', import.meta.url);

/** Hand-written list pages and feeds as real sites serve them, with manifest.json (corpus/README.md). */
export const HANDWRITTEN_CORPUS_URL = new URL('./corpus/handwritten/', import.meta.url);
