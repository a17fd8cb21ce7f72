import { useEffect, useRef, useState } from 'react';

/**
 * The width of the element `ref` is attached to, kept up to date: charts draw in real pixels, so their
 * text stays the same readable size on a 390 px phone and on a desktop (a scaled viewBox would shrink it).
 */
export function useWidth<T extends HTMLElement>(fallback = 600): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    setWidth(el.clientWidth || fallback);
    if (typeof ResizeObserver === 'undefined') return undefined;
    const o = new ResizeObserver(() => setWidth(el.clientWidth || fallback));
    o.observe(el);
    return () => o.disconnect();
  }, [fallback]);
  return [ref, width];
}
