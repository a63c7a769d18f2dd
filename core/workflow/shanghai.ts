// Asia/Shanghai wall-clock arithmetic lives in core/business-time.ts (one definition of the zone
// and its offset); the workflow code keeps importing it from here.

export { HOUR_MS, DAY_MS, shanghaiParts, shanghaiInstant, addDays, formatYmd, parseYmd, weekday, type Ymd } from '../business-time.js';
