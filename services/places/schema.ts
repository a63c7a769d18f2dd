import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

// 管理 → 辖区: the office's area (a county of the administrative divisions and hand-added names),
// the divisions to pick it from, the towns (乡镇) for the pickers, and the statistics by 乡镇.

const PlaceName = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .refine((v) => /^[\p{Script=Han}A-Za-z0-9·（）()\-]+$/u.test(v), { message: 'must be a place name (Chinese characters, letters, digits)', params: { messageZh: '须为地名（汉字、字母或数字）' } })
  .openapi({ example: '东关' });
const Code = z.string().trim().min(1).max(60).openapi({ example: '420324100' });

export const AreaExtra = z
  .object({
    name: PlaceName,
    townCode: Code.nullable().openapi({ description: '所属乡镇（街道）代码；新增乡镇级地名时为 null' }),
    aliasOf: Code.nullable().openapi({ description: '作为哪个地名的别称（地名代码）；新增地名时为 null' }),
  })
  .strict()
  .openapi('AreaExtra');

export const AreaInput = z
  .object({
    countyCode: z.string().refine((v) => /^\d{6}$/.test(v), { message: 'must be a six-digit county code', params: { messageZh: '须为六位区县代码' } }).nullable().openapi({ description: '区县代码（行政区划）；不选区县时为 null', example: '420324' }),
    areaName: z.string().trim().max(40).openapi({ description: '辖区名称（不填：用区县名称）', example: '竹溪县' }),
    extras: z.array(AreaExtra).max(500).openapi({ description: '单位自行添加的地名：开发区、园区、新社区，以及别称（如“东关”即东关村）' }),
  })
  .strict()
  .openapi('AreaInput');
export type AreaInput = z.infer<typeof AreaInput>;

const Place = z.object({ code: z.string(), name: z.string(), kind: z.enum(['town', 'village']), parentCode: z.string().nullable(), aliases: z.array(z.string()), byOffice: z.boolean() });

export const BackfillProgress = z
  .object({
    done: z.number().int().openapi({ description: '已补充：保存辖区前已有的信息中已按当前地名表重新识别的条数' }),
    total: z.number().int().openapi({ description: '保存辖区前已有的信息条数' }),
    running: z.boolean(),
  })
  .openapi('AreaBackfill', { description: '已有信息按当前辖区补充地域的进度（保存辖区后在后台逐批进行）' });
export type BackfillProgress = z.infer<typeof BackfillProgress>;

export const AreaView = z
  .object({
    countyCode: z.string().nullable(),
    county: z.object({ code: z.string(), name: z.string(), city: z.string(), province: z.string() }).nullable(),
    areaName: z.string(),
    extras: z.array(AreaExtra),
    towns: z.number().int().openapi({ description: '乡镇（街道）数' }),
    villages: z.number().int().openapi({ description: '村（社区）数' }),
    places: z.array(Place).openapi({ description: '辖区地名表：乡镇（街道）与村（社区），含单位添加的地名和别称' }),
    updatedAt: DateTime,
    updatedBy: z.string().nullable(),
    backfill: BackfillProgress,
  })
  .openapi('Area');
export type AreaView = z.infer<typeof AreaView>;

export const DivisionQuery = z.object({
  parent: z.string().refine((v) => /^(\d{2}|\d{4})$/.test(v), { message: 'must be a province (2 digits) or city (4 digits) code', params: { messageZh: '须为省（2 位）或市（4 位）代码' } }).optional().openapi({ description: '不填：省份；省代码：其下的市；市代码：其下的区县' }),
});
export const DivisionList = z.object({ divisions: z.array(z.object({ code: z.string(), name: z.string() })) }).openapi('DivisionList');

export const TownList = z.object({ towns: z.array(z.object({ code: z.string(), name: z.string() })) }).openapi('TownList');

export const PlaceStatsView = z
  .object({
    range: z.object({ from: DateTime, to: DateTime }),
    towns: z.array(z.object({ code: z.string(), name: z.string(), alerts: z.number().int(), cases: z.number().int() })),
  })
  .openapi('PlaceStats');
export type PlaceStatsView = z.infer<typeof PlaceStatsView>;

/** The case's 地域 set by hand: a 乡镇 (and optionally one of its 村), or null to go back to the places of its items. */
export const CasePlacesInput = z
  .object({
    town: Code.nullable().openapi({ description: '乡镇（街道）代码；null：清除手工设置，按事件信息中的地名', example: '420324100' }),
    village: Code.nullable().optional().openapi({ description: '村（社区）代码，须属于所选乡镇', example: '420324100200' }),
  })
  .strict()
  .openapi('CasePlacesInput');
export type CasePlacesInput = z.infer<typeof CasePlacesInput>;

const PlaceRef = z.object({ code: z.string(), name: z.string() });

export const CasePlacesView = z
  .object({
    places: z.array(z.string()).openapi({ description: '地域（手工设置的，否则事件信息中提到的）', example: ['城关镇观音阁村'] }),
    byHand: z.boolean().openapi({ description: '地域为手工设置（且所设乡镇、村仍在辖区中）' }),
    handRemoved: z
      .string()
      .nullable()
      .openapi({ description: '手工设置的地域已不在辖区中时，其设置时的名称（现按事件信息中的地名显示）；否则为 null', example: '新区东关村' }),
    town: PlaceRef.nullable(),
    village: PlaceRef.nullable(),
    towns: z.array(PlaceRef).openapi({ description: '辖区乡镇（街道），供选择' }),
    villages: z.array(PlaceRef).openapi({ description: '所选乡镇的村（社区），供选择' }),
  })
  .openapi('CasePlaces');
export type CasePlacesView = z.infer<typeof CasePlacesView>;

export const VillageList = z.object({ villages: z.array(PlaceRef) }).openapi('VillageList');
export const VillageQuery = z.object({ town: Code.openapi({ description: '乡镇（街道）代码', example: '420324100' }) });
