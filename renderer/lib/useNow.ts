import { useEffect, useState } from 'react';

/** The time now, renewed every `everyMs`, so "2 min ago" goes on counting while nothing else changes. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
