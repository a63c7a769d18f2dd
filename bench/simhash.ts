// SimHash: (a) fingerprinting speed against SHA-1 on the same ~1 KB Chinese items;
// (b) near-duplicate lookup through the banded index against a linear Hamming scan, 1,000,000 fingerprints.
import { createHash } from 'node:crypto';
import { BAND_COUNT, NEAR_DUPLICATE_DISTANCE, bandsOfHalves, popcount32, simhash } from '../core/simhash.js';
import { type BenchFigure, medianMs } from './lib.js';

const SENTENCES = [
  '近日，有网民在本地论坛发帖反映，城西片区棚户区改造项目中部分居民的拆迁补偿款迟迟未能到位。',
  '记者从市住房和城乡建设局了解到，该项目共涉及住户326户，目前已签订补偿协议的有291户。',
  '住建局工作人员表示，项目严格按照公布的征收补偿方案执行，评估由具有资质的第三方机构完成。',
  '市财政局表示剩余款项将于本月底前分批拨付到位，并将通过政务网站公开拨付进度，接受群众监督。',
  '入冬以来，多个小区居民通过12345政务服务热线反映家中暖气不热，室内温度长期低于18摄氏度。',
  '供热企业已经组织了30多个维修小组，对投诉集中的小区逐一排查，完成管网冲洗和阀门更换120余处。',
  '有家长在短视频平台发布视频称，某县第二实验小学食堂提供的午餐中出现发霉的馒头。',
  '县教育局和县市场监督管理局联合发布情况通报称，两部门立即成立联合调查组进驻学校。',
  '涉事食堂由一家餐饮公司承包经营，县教育局已责令学校暂停该公司的供餐服务。',
  '一场突如其来的强降雨袭击城区，短时间内降雨量超过80毫米，多条主干道出现严重积水。',
  '市防汛指挥部立即启动四级应急响应，调集抽排水设备60余台套，组织救援人员300余人赶赴积水点。',
  '住建局表示，下一步将对排水设施运行情况进行全面评估，并加快推进雨污分流和海绵城市建设。',
  '蒲州镇东关村村民近日向记者反映，村里因修建农村公路需要占用部分耕地和宅基地。',
  '当地自然资源部门表示，将对补偿方案的测算依据进行复核，并在村务公开栏进行公示。',
  '会议要求，各企业要建立投诉快速处理机制，对群众反映的问题做到当日受理、当日回复。',
  '通报同时公布了监督举报电话，欢迎群众对补偿工作中的违规行为进行举报。',
];

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** ~1 KB (UTF-8) Chinese news items, each different. */
function makeItems(n: number): string[] {
  const rnd = xorshift(42);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    let text = `第${i}号信息：`;
    while (Buffer.byteLength(text) < 1000) text += SENTENCES[rnd() % SENTENCES.length];
    items.push(text);
  }
  return items;
}

/** The fastest of several timed runs, in milliseconds. */
async function bestMs(fn: () => unknown, runs: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await medianMs(fn, 1));
  return best;
}

async function fingerprintSpeed(): Promise<BenchFigure> {
  const items = makeItems(200);
  const sha1All = () => {
    for (const t of items) createHash('sha1').update(t).digest();
  };
  const simhashAll = () => {
    for (const t of items) simhash(t);
  };
  for (let i = 0; i < 20; i++) {
    sha1All();
    simhashAll();
  }
  const sha1Ms: number[] = [];
  const simMs: number[] = [];
  for (let round = 0; round < 5; round++) {
    sha1Ms.push(await medianMs(sha1All, 15));
    simMs.push(await medianMs(simhashAll, 15));
  }
  const perSecond = (ms: number[]) => (items.length * 1000) / Math.min(...ms);
  const value = perSecond(simMs);
  const baseline = perSecond(sha1Ms);
  return {
    name: 'simhash of ~1 KB Chinese items',
    value,
    unit: 'items/s',
    baseline,
    baselineName: "SHA-1 (node:crypto createHash('sha1'))",
    ratio: value / baseline,
    goal: '≥ 0.2',
    met: value / baseline >= 0.2,
  };
}

const FINGERPRINTS = 1_000_000;

async function lookupSpeed(): Promise<BenchFigure> {
  const rnd = xorshift(7);
  const lo = new Uint32Array(FINGERPRINTS);
  const hi = new Uint32Array(FINGERPRINTS);
  for (let i = 0; i < FINGERPRINTS; i++) {
    lo[i] = rnd();
    hi[i] = rnd();
  }
  // The banded index: per band, band value → the ids in that bucket, each stored with its
  // fingerprint halves (id, lo, hi, id, lo, hi, …) so a bucket is scanned without random access.
  const index: Map<number, Uint32Array>[] = [];
  for (let k = 0; k < BAND_COUNT; k++) {
    const sizes = new Map<number, number>();
    const bandOf = new Uint32Array(FINGERPRINTS);
    for (let id = 0; id < FINGERPRINTS; id++) {
      const v = bandsOfHalves(lo[id], hi[id])[k];
      bandOf[id] = v;
      sizes.set(v, (sizes.get(v) ?? 0) + 1);
    }
    const buckets = new Map<number, Uint32Array>();
    const fill = new Map<number, number>();
    for (const [v, n] of sizes) {
      buckets.set(v, new Uint32Array(n * 3));
      fill.set(v, 0);
    }
    for (let id = 0; id < FINGERPRINTS; id++) {
      const v = bandOf[id];
      const at = fill.get(v)!;
      const bucket = buckets.get(v)!;
      bucket[at] = id;
      bucket[at + 1] = lo[id];
      bucket[at + 2] = hi[id];
      fill.set(v, at + 3);
    }
    index.push(buckets);
  }

  // Queries: half are stored fingerprints with up to NEAR_DUPLICATE_DISTANCE bits flipped, half random.
  const queries: [number, number][] = [];
  for (let q = 0; q < 1000; q++) {
    if (q % 2 === 1) {
      queries.push([rnd(), rnd()]);
      continue;
    }
    const id = rnd() % FINGERPRINTS;
    let qlo = lo[id];
    let qhi = hi[id];
    const flips = rnd() % (NEAR_DUPLICATE_DISTANCE + 1);
    for (let f = 0; f < flips; f++) {
      const bit = rnd() % 64;
      if (bit < 32) qlo ^= 1 << bit;
      else qhi ^= 1 << (bit - 32);
    }
    queries.push([qlo >>> 0, qhi >>> 0]);
  }

  const linear = (qlo: number, qhi: number): number[] => {
    const found: number[] = [];
    for (let id = 0; id < FINGERPRINTS; id++) {
      if (popcount32(lo[id] ^ qlo) + popcount32(hi[id] ^ qhi) <= NEAR_DUPLICATE_DISTANCE) found.push(id);
    }
    return found;
  };
  const banded = (qlo: number, qhi: number): number[] => {
    const b = bandsOfHalves(qlo, qhi);
    const found: number[] = [];
    for (let k = 0; k < BAND_COUNT; k++) {
      const bucket = index[k].get(b[k]);
      if (!bucket) continue;
      for (let j = 0; j < bucket.length; j += 3) {
        if (popcount32(bucket[j + 1] ^ qlo) + popcount32(bucket[j + 2] ^ qhi) <= NEAR_DUPLICATE_DISTANCE && !found.includes(bucket[j])) {
          found.push(bucket[j]);
        }
      }
    }
    return found;
  };

  // Same answers, or the figure means nothing.
  const linearQueries = queries.slice(0, 40);
  for (const [qlo, qhi] of linearQueries) {
    const a = linear(qlo, qhi).sort((x, y) => x - y).join();
    const b = banded(qlo, qhi).sort((x, y) => x - y).join();
    if (a !== b) throw new Error(`banded lookup disagrees with the linear scan: ${a} vs ${b}`);
  }

  // Best of several runs on both sides: other processes on the machine only ever add time.
  const linearMs = await bestMs(() => {
    for (const [qlo, qhi] of linearQueries) linear(qlo, qhi);
  }, 5);
  const bandedMs = await bestMs(() => {
    for (const [qlo, qhi] of queries) banded(qlo, qhi);
  }, 9);
  const value = (queries.length * 1000) / bandedMs;
  const baseline = (linearQueries.length * 1000) / linearMs;
  return {
    name: `near-duplicate lookup (≤ ${NEAR_DUPLICATE_DISTANCE} bits) in 1,000,000 fingerprints, ${BAND_COUNT}-band index`,
    value,
    unit: 'lookups/s',
    baseline,
    baselineName: 'linear Hamming scan',
    ratio: value / baseline,
    goal: '≥ 20',
    met: value / baseline >= 20,
  };
}

export default async function bench(): Promise<BenchFigure[]> {
  return [await fingerprintSpeed(), await lookupSpeed()];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('simhash', await bench());
}
