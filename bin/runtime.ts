// How every long-running process of the system is started (npm start / server / worker, the
// browser tests' system, the export benchmark's child): Node with the TypeScript loader and a
// JavaScript heap cap.
//
// Why the cap: V8 sizes how far its heap may grow between full collections from the cap, which by
// default is a share of the machine's memory (≈ 4 GB on a 24 GB server). A streaming export makes
// ~100 MB of short-lived garbage per 100,000 rows while holding one page of rows; with the default
// cap V8 lets that garbage pile up to 300–370 MB of RSS before collecting it, with a 1 GB cap it
// collects sooner and the process peaks near 220 MB (`npm run bench -- reports`). The live heap of
// a busy server is ~50–100 MB, so 1 GB leaves room for any request the product makes. The flag
// sits in package.json's scripts (a test checks they match this list).

export const HEAP_MB = 1024;

/** Node flags of a system process, before the entry point. */
export const NODE_FLAGS: readonly string[] = [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx'];
