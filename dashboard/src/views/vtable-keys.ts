// Keyboard paging for the virtualised tables (customer list, workbench grid):
// the scroll container has focus, and only the rows in view exist in the DOM,
// so PageUp/PageDown/Home/End move the scroll position, not a focused row.

import type { KeyboardEvent } from 'react';

/** A keydown handler for a virtualised table's scroll container. */
export function pageKeysHandler(rowHeight: number, viewportRows: number) {
  return (e: KeyboardEvent<HTMLDivElement>): void => {
    const el = e.currentTarget;
    if (e.key === 'PageDown') el.scrollTop += rowHeight * viewportRows;
    else if (e.key === 'PageUp') el.scrollTop -= rowHeight * viewportRows;
    else if (e.key === 'Home') el.scrollTop = 0;
    else if (e.key === 'End') el.scrollTop = el.scrollHeight;
    else return;
    e.preventDefault();
  };
}
