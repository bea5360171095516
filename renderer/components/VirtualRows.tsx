import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualRowsProps<Row> {
  rows: readonly Row[];
  rowHeight: number;
  rowKey(row: Row): string | number;
  /** The row's cells (each `role="cell"`); the row itself is this component's, so the table keeps its grid semantics. */
  renderRow(row: Row, index: number): ReactNode;
  /** Classes for a row beyond `vrow` (its grid layout, `selected`). */
  rowClassName?: (row: Row) => string;
  /** Called when the last loaded row is less than one viewport away; the owner fetches the next page. */
  onNearEnd?: () => void;
  hasMore: boolean;
  label: string;
}

/** How many rows a table has for aria-rowcount: its rows and the header, or -1 (unknown) while more can load. */
export const ariaRowCount = (rows: number, hasMore: boolean) => (hasMore ? -1 : rows + 1);

/** Renders only the rows in view (plus a few), so 100,000 loaded rows cost the same as 30. */
export function VirtualRows<Row>({ rows, rowHeight, rowKey, renderRow, rowClassName, onNearEnd, hasMore, label }: VirtualRowsProps<Row>) {
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
      // aria-rowindex counts the header row as 1, so a screen reader says "row 1,204 of …" for a row far down.
      <div key={rowKey(row)} className={rowClassName ? `vrow ${rowClassName(row)}` : 'vrow'} role="row" aria-rowindex={index + 2} style={{ top: index * rowHeight, height: rowHeight }}>
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
          <div className="vrow vrow-more" role="row" aria-rowindex={rows.length + 2} style={{ top: rows.length * rowHeight, height: rowHeight }}>
            <span role="cell">Loading more…</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
