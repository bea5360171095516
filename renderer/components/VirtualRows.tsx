import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualRowsProps<Row> {
  rows: readonly Row[];
  rowHeight: number;
  rowKey(row: Row): string | number;
  renderRow(row: Row, index: number): ReactNode;
  /** Called when the last loaded row is less than one viewport away; the owner fetches the next page. */
  onNearEnd?: () => void;
  hasMore: boolean;
  label: string;
}

/** Renders only the rows in view (plus a few), so 100,000 loaded rows cost the same as 30. */
export function VirtualRows<Row>({ rows, rowHeight, rowKey, renderRow, onNearEnd, hasMore, label }: VirtualRowsProps<Row>) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight || 600));
    observer.observe(element);
    setHeight(element.clientHeight || 600);
    return () => observer.disconnect();
  }, []);

  const checkEnd = useCallback(
    (top: number) => {
      if (hasMore && onNearEnd && rows.length * rowHeight - (top + height) < height) onNearEnd();
    },
    [hasMore, onNearEnd, rows.length, rowHeight, height],
  );
  useEffect(() => checkEnd(scrollTop), [checkEnd, scrollTop]);

  const overscan = 8;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const visible: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const row = rows[index]!;
    visible.push(
      <div key={rowKey(row)} className="vrow" role="row" style={{ top: index * rowHeight, height: rowHeight }}>
        {renderRow(row, index)}
      </div>,
    );
  }
  return (
    <div
      ref={viewport}
      className="vrows"
      role="rowgroup"
      aria-label={label}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      data-testid={`${label}-rows`}
    >
      <div className="vrows-spacer" style={{ height: rows.length * rowHeight + (hasMore ? rowHeight : 0) }}>
        {visible}
        {hasMore ? (
          <div className="vrow vrow-more" style={{ top: rows.length * rowHeight, height: rowHeight }}>
            Loading more…
          </div>
        ) : null}
      </div>
    </div>
  );
}
