import { describe, expect, it } from 'vitest';
import { compileGazetteer, findPlaces, findPlacesNaive, placeLabels, shortForm, villageDisplayName, type GazetteerPlace } from './places.js';

const town = (code: string, name: string, aliases: string[] = []): GazetteerPlace => ({ code, name, kind: 'town', parentCode: null, aliases });
const village = (code: string, name: string, parentCode: string, aliases: string[] = []): GazetteerPlace => ({ code, name, kind: 'village', parentCode, aliases });

const PLACES: GazetteerPlace[] = [
  town('T1', '城关镇'),
  town('T2', '龙山镇'),
  town('T3', '北关街道'),
  town('T4', '桃源乡'),
  village('V1', '东关村', 'T1', ['东关']),
  village('V2', '石桥村', 'T2'),
  village('V3', '石桥村', 'T1'), // the same village name in two towns
  village('V4', '后营村', 'T1'),
  village('V5', '杨柳社区', 'T3'),
  village('V6', '龙山村', 'T4'), // its short form 龙山 is also the short form of 龙山镇
];
const g = compileGazetteer(PLACES);
const labels = (text: string) => placeLabels(g.byCode, findPlaces(g, text));

describe('findPlaces', () => {
  it('a full town name and a village of it: the village implies its town', () => {
    expect(findPlaces(g, '城关镇后营村村民反映道路破损')).toEqual({ towns: ['T1'], villages: ['V4'] });
    expect(labels('城关镇后营村村民反映道路破损')).toEqual(['城关镇后营村']);
    expect(findPlaces(g, '后营村的路坏了半年')).toEqual({ towns: ['T1'], villages: ['V4'] });
  });

  it('a village name two towns share is resolved by the town named with it, or dropped', () => {
    expect(findPlaces(g, '龙山镇石桥村约二十户居民反映饮水问题')).toEqual({ towns: ['T2'], villages: ['V2'] });
    expect(findPlaces(g, '城关镇石桥村村民说')).toEqual({ towns: ['T1'], villages: ['V3'] });
    expect(findPlaces(g, '石桥村的自来水发黄')).toEqual({ towns: [], villages: [] });
  });

  it('short forms: a town by its short form when only it has it; a village short form only within its named town', () => {
    expect(findPlaces(g, '桃源那边的学校')).toEqual({ towns: ['T4'], villages: [] });
    expect(findPlaces(g, '城关后营一带停水')).toEqual({ towns: ['T1'], villages: ['V4'] });
    // 后营 without its town means nothing on its own.
    expect(findPlaces(g, '后营一带停水')).toEqual({ towns: [], villages: [] });
    // 龙山 is short for both 龙山镇 and 龙山村 (of 桃源乡): ambiguous alone, resolved when 桃源乡 is named.
    expect(findPlaces(g, '龙山一带停电')).toEqual({ towns: [], villages: [] });
    expect(findPlaces(g, '桃源乡龙山的村民')).toEqual({ towns: ['T4'], villages: ['V6'] });
  });

  it('an alias the office added names the place outright', () => {
    expect(findPlaces(g, '东关的70户居民联名')).toEqual({ towns: ['T1'], villages: ['V1'] });
    expect(labels('东关的70户居民联名')).toEqual(['城关镇东关村']);
  });

  it('longest match: a name inside a longer name is not matched on its own', () => {
    // 北关街道 contains neither 城关 nor 东关, but 东关村 contains 东关 (the alias): one village, not two places.
    expect(findPlaces(g, '城关镇东关村')).toEqual({ towns: ['T1'], villages: ['V1'] });
    expect(findPlaces(g, '北关街道杨柳社区')).toEqual({ towns: ['T3'], villages: ['V5'] });
    // 关村 and 山镇 are no names; 石桥村村委会 is 石桥村 (shared, no town named) → nothing.
    expect(findPlaces(g, '中关村的山镇石桥村村委会')).toEqual({ towns: [], villages: [] });
  });

  it('two towns in one text, in order of first mention', () => {
    expect(findPlaces(g, '龙山镇石桥村和城关镇东关村的群众都反映了同样的问题')).toEqual({ towns: ['T2', 'T1'], villages: ['V2', 'V1'] });
    expect(labels('龙山镇石桥村和城关镇东关村的群众')).toEqual(['龙山镇石桥村', '城关镇东关村']);
    expect(labels('桃源乡和龙山镇都下了暴雨')).toEqual(['桃源乡', '龙山镇']);
  });

  it('a text naming no place, and an empty gazetteer', () => {
    expect(findPlaces(g, '市区主干道积水严重')).toEqual({ towns: [], villages: [] });
    expect(findPlaces(compileGazetteer([]), '城关镇东关村')).toEqual({ towns: [], villages: [] });
  });

  it('the naive baseline finds the same places', () => {
    for (const t of ['龙山镇石桥村和城关镇东关村', '东关的70户居民', '桃源乡龙山的村民', '石桥村的自来水发黄', '城关后营一带停水']) {
      expect(findPlacesNaive(g, t)).toEqual(findPlaces(g, t));
    }
  });
});

describe('names', () => {
  it('village committees are named as people name the village', () => {
    expect(villageDisplayName('石桥村村民委员会')).toBe('石桥村');
    expect(villageDisplayName('石桥村委会')).toBe('石桥村');
    expect(villageDisplayName('多福巷社区居委会')).toBe('多福巷社区');
    expect(villageDisplayName('东风居民委员会')).toBe('东风社区');
    expect(villageDisplayName('杨柳社区')).toBe('杨柳社区');
  });

  it('short forms drop the suffix and keep at least two characters', () => {
    expect(shortForm('龙山镇', 'town')).toBe('龙山');
    expect(shortForm('北关街道', 'town')).toBe('北关');
    expect(shortForm('谷城镇', 'town')).toBe('谷城');
    expect(shortForm('新乡', 'town')).toBeNull();
    expect(shortForm('石桥村', 'village')).toBe('石桥');
    expect(shortForm('杨柳社区', 'village')).toBe('杨柳');
    expect(shortForm('东村', 'village')).toBeNull();
  });
});
