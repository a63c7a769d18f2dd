import { useSyncExternalStore } from 'react';

// Short confirmations and failures in the corner ("已保存", or the server's message).

interface Toast {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}
let toasts: Toast[] = [];
let seq = 0;
const subs = new Set<() => void>();
const emit = () => subs.forEach((fn) => fn());

export function toast(text: string, kind: Toast['kind'] = 'ok'): void {
  const id = ++seq;
  toasts = [...toasts, { id, kind, text }];
  emit();
  setTimeout(() => {
    toasts = toasts.filter((x) => x.id !== id);
    emit();
  }, kind === 'error' ? 8000 : 3000);
}

export function Toasts() {
  const list = useSyncExternalStore(
    (cb) => {
      subs.add(cb);
      return () => subs.delete(cb);
    },
    () => toasts,
  );
  return (
    <div className="toasts" aria-live="polite">
      {list.map((x) => (
        <div key={x.id} className={`toast toast-${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>
          {x.text}
        </div>
      ))}
    </div>
  );
}
