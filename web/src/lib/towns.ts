import { useQuery } from '@tanstack/react-query';
import { api, call } from './api.js';

// The 乡镇（街道） of the office's area (管理 → 辖区), for the 地域 pickers of search and the ledger.

export function useTowns() {
  const q = useQuery({ queryKey: ['area-towns'], queryFn: async () => (await call(api.area.towns.$get())).towns, staleTime: 300_000 });
  return q.data ?? [];
}
