import { useEffect, useState } from 'react';

/** The width below which screens switch to their phone layout (styles.css uses the same). */
export const PHONE_QUERY = '(max-width: 640px)';

/** Whether a CSS media query matches, kept up to date as the window changes. */
export function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const on = () => setMatches(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return matches;
}

export const useIsPhone = (): boolean => useMedia(PHONE_QUERY);
