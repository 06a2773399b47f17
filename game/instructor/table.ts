// Building blocks of the instructor's tables. Every text goes in through textContent: names are typed by attendees.

export function cell(tag: 'th' | 'td', text: string, title?: string): HTMLTableCellElement {
  const node = document.createElement(tag);
  node.textContent = text;
  if (title) node.title = title;
  return node;
}

/** Replaces the table's content with `head` and `rows`, or one row saying `emptyText` when there are none. */
export function fillTable(
  table: HTMLTableElement,
  head: HTMLTableRowElement,
  rows: HTMLTableRowElement[],
  emptyText: string,
): void {
  if (rows.length === 0) {
    const empty = cell('td', emptyText);
    empty.colSpan = head.cells.length;
    const row = document.createElement('tr');
    row.append(empty);
    rows = [row];
  }
  const thead = document.createElement('thead');
  const tbody = document.createElement('tbody');
  thead.append(head);
  tbody.append(...rows);
  table.replaceChildren(thead, tbody);
}
