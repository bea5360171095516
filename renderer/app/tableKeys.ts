/** Keys typed into a field are the field's, not shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * j/k: focus the next or previous row of the table on screen (its link or button, so Enter opens
 * it). One row at a time always lands on a row the virtualized list has drawn; focusing it
 * scrolls it into view, and the list draws the rows around it.
 */
export function moveThroughTable(root: ParentNode, step: 1 | -1): boolean {
  const rows = root.querySelector<HTMLElement>('[role="table"] .vrows');
  if (!rows) return false;
  const current = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('.vrow') : null;
  const link = (index: number) => rows.querySelector<HTMLElement>(`.vrow[aria-rowindex="${index}"] .row-link`);
  let target: HTMLElement | null;
  if (current && rows.contains(current)) target = link(Number(current.getAttribute('aria-rowindex')) + step);
  else {
    // Nothing in the table has focus yet: start at the first row in view.
    const first = [...rows.querySelectorAll<HTMLElement>('.vrow[aria-rowindex]')].find((row) => row.offsetTop + row.offsetHeight > rows.scrollTop);
    target = first?.querySelector<HTMLElement>('.row-link') ?? null;
  }
  if (!target) return false;
  target.focus();
  target.closest('.vrow')?.scrollIntoView({ block: 'nearest' });
  return true;
}

/** /: focus the screen's search field. */
export function focusSearch(root: ParentNode): boolean {
  const search = root.querySelector<HTMLInputElement>('.filter-search');
  if (!search) return false;
  search.focus();
  search.select();
  return true;
}
