// The Chinese sentiment lexicon for 政务舆情: words typical of complaints to local government,
// weighted by how strongly they signal a negative story, a few words of praise that lower the
// score, the negators that flip a word a couple of characters after them, and compounds that
// contain a negator character without negating anything (不断, 非常, 未来 …).
//
// Weights: 3 = harm to life, violence, corruption; 2 = a clear grievance (arrears, pollution,
// official misconduct); 1 = discontent or trouble; 0.5–0.8 = weak or ambiguous signals.

function group(weight: number, words: string): [string, number][] {
  return words
    .trim()
    .split(/\s+/)
    .map((w) => [w, weight]);
}

export const NEGATIVE_WORDS: ReadonlyMap<string, number> = new Map([
  ...group(
    3,
    `强拆 暴力拆迁 暴力执法 殴打 毒打 打人 打死 死亡 身亡 遇难 丧生 致死 致残 命案 血案 腐败 贪污 受贿 行贿 索贿 贪腐
     贪官 黑恶 涉黑 涉恶 黑社会 保护伞 官商勾结 中毒 食物中毒 爆炸 坍塌 垮塌 倒塌 跳楼 自杀 自焚 轻生 群体性事件
     草菅人命 民不聊生 逼死 非法拘禁 打砸 性侵 猥亵 拐卖 欺压百姓 鱼肉百姓 讨薪无门 维权无门 血汗钱 伤亡 重伤
     矿难 透水 瞒报 谎报 死伤 灭门 砍人 伤人 持刀`,
  ),
  ...group(
    2,
    `投诉 欠薪 拖欠 讨薪 克扣 污染 恶臭 不作为 乱作为 慢作为 推诿 扯皮 踢皮球 维权 黑心 上访 信访 越级上访 举报 事故
     违法 违规 违纪 乱收费 乱罚款 乱摊派 乱集资 乱检查 霸占 侵占 强占 偷排 直排 超标排放 黑臭 扰民 噪音扰民 刁难
     吃拿卡要 冷漠 敷衍 搪塞 官僚 官僚主义 形式主义 懒政 庸政 失职 渎职 滥用职权 以权谋私 徇私 包庇 欺诈 诈骗
     坑害 坑骗 欺骗 造假 弄虚作假 伪劣 假冒 假货 变质 过期 安全隐患 塌陷 停水 停电 断水 断电 内涝 违建 违章建筑
     非法占地 补偿不到位 烂尾 烂尾楼 延期交房 无人管 没人管 无人问津 石沉大海 不予理睬 不理睬 不回复 拒不 一拖再拖
     久拖不决 不公 不公平 不合理 不透明 不满 不满意 愤怒 愤慨 气愤 寒心 心寒 绝望 憋屈 恐慌 痛心 哭诉 控诉 喊冤
     申冤 冤案 冤假错案 黑幕 猫腻 潜规则 被打 受伤 纠纷 冲突 群殴 斗殴 火灾 失火 起火 泄漏 爆燃 车祸 翻车 溺水
     霸凌 欺凌 失踪 传销 非法集资 跑路 暴雷 爆雷 骗局 高利贷 套路贷 暴力催收 天价 宰客 强买强卖 黑中介 黑车 黑诊所
     黑作坊 地沟油 病死猪 注水肉 三无产品 假药 医闹 医疗事故 误诊 拒诊 看病难 上学难 办事难 门难进 脸难看 事难办
     坑人 坑钱 脏乱差 臭气熏天 污水横流 偷倒 乱倒 乱排 死鱼 水质恶化 毒气 有毒 致癌 非法排放 违法排污 偷采 盗采
     滥伐 毁林 非法采砂 私挖乱采 围堵 堵路 聚集 闹事 暴力 威胁 恐吓 报复 打击报复 强迫 逼迫 非法 违约 毁约 赖账
     跑冒滴漏 豆腐渣 豆腐渣工程 偷工减料 质量问题 漏水 渗水 裂缝 开裂 停工 停摆 欠款 欠费 拖欠工资 拖欠工程款
     霸王条款 乱涨价 哄抬物价 缺斤短两 短斤少两 强制 强行 野蛮 粗暴 辱骂 谩骂 侮辱 歧视 刁民 官威 耍官威 特权
     吃空饷 虚报冒领 截留 挪用 挤占 套取 骗取 骗保 骗补 侵吞 私分 雁过拔毛 微腐败 小官巨贪 蝇贪 优亲厚友 暗箱操作
     内定 萝卜招聘 权钱交易 利益输送 违规操作 违规审批 监管缺失 监管不力 执法不公 选择性执法 钓鱼执法 乱执法`,
  ),
  ...group(
    1,
    `曝光 质疑 抱怨 吐槽 不便 困扰 受损 损失 异味 刺鼻 噪音 噪声 扬尘 粉尘 雾霾 焚烧 废气 废水 污水 积水 拥堵 堵车
     破损 坑洼 破烂 脏乱 垃圾成堆 担忧 焦虑 无奈 委屈 心酸 心痛 难过 痛苦 崩溃 糟心 闹心 揪心 奇葩 离谱 荒唐
     荒谬 无语 失望 不靠谱 吐苦水 诉苦 求助 求救 呼吁 恳请 讨说法 要说法 讨个说法 拖延 延误 推脱 推托 涨价
     隐患 风险 险情 纠葛 矛盾 争议 怨言 民怨 怨声载道 骂声 差评 差劲 恶劣 严重 混乱 乱象 乱停乱放 占道
     占道经营 违停 扰乱 破坏 损坏 毁坏 偷盗 盗窃 被盗 丢失 诈骗电话 骚扰 骚扰电话 维修难 停运 中断 故障 瘫痪`,
  ),
  ...group(0.8, `坑 惨 乱收 不给 不退 没收 扣押 查封 拆除 停业`),
]);

export const POSITIVE_WORDS: ReadonlyMap<string, number> = new Map([
  ...group(
    2,
    `点赞 感谢 满意 好评 表扬 称赞 赞扬 赞誉 锦旗 感谢信 表扬信 暖心 贴心 致谢 感激 排忧解难 雪中送炭 为民办实事
     圆满解决 妥善解决 得到解决 已解决 成功解决 整改到位 落实到位 尽职尽责 认真负责 好样的 交口称赞 有口皆碑`,
  ),
  ...group(
    1,
    `高效 及时 圆满 顺利 便民 惠民 利民 为民 感动 优质 给力 靠谱 口碑 称心 放心 舒心 安心 热心 耐心 细心 周到
     改善 提升 干净整洁 井然有序 成效显著 喜讯 喜报 荣获 表彰 先进 模范 榜样 光荣 幸福 开心 高兴 欣慰 谢谢 辛苦了
     温暖 关怀 帮扶 救助 解了燃眉之急 焕然一新 美丽 宜居 整洁 畅通 便捷`,
  ),
]);

/** Negate a sentiment word that starts at most NEGATION_WINDOW characters after them. */
export const NEGATORS: readonly string[] = `不 没 没有 未 无 非 别 莫 勿 毫无 并未 从未 尚未 从不 绝不 决不 并不 并非 不曾 未曾 不再 杜绝 防止 避免 严禁 禁止`
  .split(/\s+/);

/** Compounds that contain a negator character but do not negate what follows. */
export const NON_NEGATING: readonly string[] = `不断 不少 不仅 不久 不停 不过 不管 不论 无论 未来 无数 不得不 不禁 无比 无限 不已 非常 无非 无时无刻
  不一 莫大 无疑 毫无疑问 不但 不止 无不 未必 不免 不时 不由得 不料 无意 别人 别的 特别 分别 区别 级别 个别 无关 不要紧`
  .split(/\s+/);

/** Characters between a negator and the word it negates, at most. */
export const NEGATION_WINDOW = 2;
