import type { ColumnType, Generated } from 'kysely';

// API tokens of the intake API (migration 20261207_0027_api_tokens).

type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** 'items:submit' pushes items (POST /api/intake/items); 'items:read' is reserved for read-only use later. */
export const TOKEN_SCOPES = ['items:submit', 'items:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  /** sha256 of the secret, hex. */
  token_hash: string;
  /** The first characters of the secret, shown in the list to tell tokens apart. */
  token_prefix: string;
  scopes: TokenScope[];
  created_by: number | null;
  created_at: GeneratedTimestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
  revoked_by: number | null;
  window_start: Date | null;
  window_count: ColumnType<number, number | undefined, number>;
}

export interface TokenTables {
  api_tokens: ApiTokensTable;
}
