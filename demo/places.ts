// The demo city's 辖区 (清河市): its 乡镇/街道 and, under each, its own 村/社区. The office's
// gazetteer (demo/seed.ts seeds it as the office's own names) and the demo publisher
// (demo/content.ts) both read this one table, so a post never puts a village under another town.

export const DEMO_TOWNS = ['城关镇', '龙山镇', '桃源乡', '北关街道', '河西街道', '东湖街道'] as const;
export type DemoTown = (typeof DEMO_TOWNS)[number];

/** Each town's own villages and communities. */
export const DEMO_VILLAGES: Record<DemoTown, readonly string[]> = {
  城关镇: ['东关村', '后营村', '南街社区'],
  龙山镇: ['石桥村', '柳林村'],
  桃源乡: ['桃源村'],
  北关街道: ['杨柳社区'],
  河西街道: ['王家庄村', '新华里社区'],
  东湖街道: ['湖滨社区'],
};

/** [town, village] pairs, towns in DEMO_TOWNS order. */
export const DEMO_VILLAGE_PAIRS: readonly (readonly [DemoTown, string])[] = DEMO_TOWNS.flatMap((t) => DEMO_VILLAGES[t].map((v) => [t, v] as const));

/** The town a village belongs to, or undefined for a name outside the gazetteer. */
export function townOf(village: string): DemoTown | undefined {
  return DEMO_VILLAGE_PAIRS.find(([, v]) => v === village)?.[0];
}
