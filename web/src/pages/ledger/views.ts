// The ledger's column choice and saved views, kept in localStorage per user (this browser only).

export const COLUMN_IDS = [
  'number',
  'status',
  'clock',
  'source',
  'places',
  'title',
  'summary',
  'level',
  'category',
  'dept',
  'assigned',
  'due',
  'responded',
  'channel',
  'onTime',
  'feedback',
  'closed',
  'drafter',
  'reviewer',
  'instructions',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** What fits a 1366-px screen; the rest are a click away in the column chooser. */
export const DEFAULT_COLUMNS: ColumnId[] = ['number', 'status', 'clock', 'source', 'places', 'title', 'level', 'category', 'dept', 'due', 'responded', 'onTime'];

export interface SavedView {
  name: string;
  /** The URL search string of the filters and sort order. */
  search: string;
  columns: ColumnId[];
}

const colsKey = (userId: number) => `od.ledger.columns.${userId}`;
const viewsKey = (userId: number) => `od.ledger.views.${userId}`;

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the choice lasts for this page only */
  }
}

export function cleanColumns(cols: unknown): ColumnId[] | null {
  if (!Array.isArray(cols)) return null;
  const ok = COLUMN_IDS.filter((c) => cols.includes(c));
  return ok.length > 0 ? ok : null;
}

export function loadColumns(userId: number): ColumnId[] {
  return cleanColumns(read(colsKey(userId))) ?? DEFAULT_COLUMNS;
}

export function storeColumns(userId: number, cols: ColumnId[]): void {
  write(colsKey(userId), cols);
}

export function loadViews(userId: number): SavedView[] {
  const raw = read<unknown>(viewsKey(userId));
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v) => {
    if (!v || typeof v !== 'object') return [];
    const { name, search, columns } = v as Record<string, unknown>;
    if (typeof name !== 'string' || typeof search !== 'string') return [];
    return [{ name, search, columns: cleanColumns(columns) ?? DEFAULT_COLUMNS }];
  });
}

export function storeViews(userId: number, views: SavedView[]): void {
  write(viewsKey(userId), views);
}
