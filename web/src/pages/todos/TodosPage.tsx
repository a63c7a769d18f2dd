import { Link } from 'wouter';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { useLang, useT } from '../../i18n/index.js';
import { fmtDuration, useNow } from '../../lib/time.js';
import { beijingShort, displayParams, useTodos, type Todo } from './data.js';
import { m } from './messages.js';
import './todos.css';

// 我的待办: what waits for the signed-in user, most urgent first (the server's order): what is
// asked, the case, the due time and the time left in Beijing time, and one tap to the place.

export default function TodosPage() {
  const t = useT(m);
  const q = useTodos();
  const now = useNow(30_000);
  let body;
  if (q.isPending) body = <Loading />;
  else if (q.isError) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (q.data.todos.length === 0) body = <Empty title={t('empty')} hint={t('emptyHint')} />;
  else
    body = (
      <ul className="todo-list" data-testid="todo-list">
        {q.data.todos.map((todo) => (
          <TodoCard key={todo.id} todo={todo} now={now} />
        ))}
      </ul>
    );
  return (
    <div className="todos-page" data-testid="todos-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        {q.data ? <span className="muted">{t('count', { n: q.data.count })}</span> : null}
      </div>
      {body}
    </div>
  );
}

function TodoCard({ todo, now }: { todo: Todo; now: Date }) {
  const t = useT(m);
  const { lang } = useLang();
  const left = todo.dueAt ? new Date(todo.dueAt).getTime() - now.getTime() : null;
  const overdue = left !== null && left < 0;
  return (
    <li className={overdue ? 'todo-card panel overdue' : 'todo-card panel'} data-testid="todo" data-kind={todo.kind} data-case-id={todo.caseId ?? ''}>
      <Link href={todo.link} className="todo-link">
        <div className="todo-ask">{t(todo.kind, displayParams(todo, lang, now))}</div>
        {todo.caseNumber || todo.title ? (
          <div className="todo-case">
            {todo.caseNumber ? <span className="todo-number">{todo.caseNumber}</span> : null}
            <span className="todo-title">{todo.title}</span>
          </div>
        ) : null}
        <div className="todo-due">
          {todo.dueAt ? (
            <>
              <span>{t('due', { at: beijingShort(todo.dueAt, lang) })}</span>
              <span className={overdue ? 'todo-left late' : 'todo-left'} data-testid="todo-left">
                {overdue ? t('overdue', { t: fmtDuration(-left!, lang) }) : t('left', { t: fmtDuration(left!, lang) })}
              </span>
            </>
          ) : (
            <span className="muted">{t('noDue')}</span>
          )}
          <span className="todo-go">{t('open')} ›</span>
        </div>
      </Link>
    </li>
  );
}
