import type { ModuleDeps } from '../shared/deps.js';
import type { SessionUser } from '../shared/actor.js';
import type { TodoList, TodoView } from './schema.js';
import { TODO_SOURCES, type TodoSource } from './sources.js';

// 我的待办: every source serving the user's role, merged and ordered by urgency.

/** Overdue first (the longest overdue on top), then by due time; rows without a due time last, in source order. */
export function byUrgency(a: TodoView, b: TodoView): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.dueAt === null || b.dueAt === null) return (a.dueAt === null ? 1 : 0) - (b.dueAt === null ? 1 : 0);
  return a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0;
}

export async function listTodos(deps: ModuleDeps, user: SessionUser, sources: readonly TodoSource[] = TODO_SOURCES): Promise<TodoList> {
  const now = deps.now();
  const mine = sources.filter((s) => s.roles.includes(user.role));
  const rows = (await Promise.all(mine.map((s) => s.load({ db: deps.db, user, now })))).flat();
  // Array.prototype.sort is stable: equal rows keep their source order.
  const todos = rows.sort(byUrgency);
  return { todos, count: todos.length, now: now.toISOString() };
}
