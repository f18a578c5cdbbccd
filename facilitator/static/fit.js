// Fitting a list into a fixed region of the big screen: first shrink its text (the region's --fit runs
// from 1 down to 0; projector.css maps 0 to the legible floor), then split it into pages at the floor.
// A projector never scrolls, so this is the only way a long report or a hall of 300 names is shown whole.

const SEARCH_STEPS = 6; // binary search on --fit: 1/64 of the font range is below a pixel at 2160p

function overflows(region, container) {
  return container.scrollHeight > region.clientHeight + 0.5 || container.scrollWidth > region.clientWidth + 0.5;
}

function setFit(region, value) {
  region.style.setProperty("--fit", String(value));
}

/**
 * Lay `items` out in `container` (a child of `region`, which has a fixed height and hides overflow).
 * Returns the pages as [start, end) index ranges and the --fit used. One page unless even the floor
 * does not fit; an item taller than a page gets a page of its own.
 */
export function fitOrPage(region, container, items, hint = null) {
  // `hint`: the --fit this list had before a small change (a new dot, a point count): kept if it still
  // fits, so a live update costs one layout instead of a search.
  if (hint > 0) {
    container.replaceChildren(...items);
    setFit(region, hint);
    if (!overflows(region, container)) return { fit: hint, pages: [[0, items.length]] };
  }
  // The floor first: a list that overflows even there (300 points) costs one layout before paging.
  container.replaceChildren(...items);
  setFit(region, 0);
  if (!overflows(region, container)) {
    setFit(region, 1);
    if (!overflows(region, container)) return { fit: 1, pages: [[0, items.length]] };
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < SEARCH_STEPS; i++) {
      const mid = (lo + hi) / 2;
      setFit(region, mid);
      if (overflows(region, container)) hi = mid; else lo = mid;
    }
    setFit(region, lo);
    return { fit: lo, pages: [[0, items.length]] };
  }
  // Paging at the floor, from this one layout: items that share a top form a row (a grid's row, or one
  // item of a list), and pages hold whole rows. Starting a page at a row start keeps every row as it is
  // (same columns), so a row's height here is its height on its page.
  const rows = [];
  for (let i = 0; i < items.length; i++) {
    const r = items[i].getBoundingClientRect();
    const last = rows[rows.length - 1];
    if (last && Math.abs(r.top - last.top) < 1) {
      last.end = i + 1;
      last.bottom = Math.max(last.bottom, r.bottom);
    } else rows.push({ start: i, end: i + 1, top: r.top, bottom: r.bottom });
  }
  const height = region.clientHeight + 0.5;
  const pages = [];
  let page = null;
  for (const row of rows) {
    if (page && row.bottom - page.top <= height) page.end = row.end;
    else {
      page = { start: row.start, end: row.end, top: row.top };
      pages.push(page);
    }
  }
  return { fit: 0, pages: pages.map((x) => [x.start, x.end]) };
}

/** Show one page of a laid-out list. */
export function showPage(container, items, range) {
  container.replaceChildren(...items.slice(range[0], range[1]));
}

/**
 * Shrink one block of text (a question, a purpose) until it fits its CSS max-height: its --fit runs from
 * 1 down to 0 like a region's. Returns the --fit used; at 0 the block may still clip (text past the limits
 * the services allow cannot reach that at the floor, see projector.css).
 */
export function fitBlock(block) {
  const fits = () => block.scrollHeight <= block.clientHeight + 0.5;
  setFit(block, 1);
  if (fits()) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < SEARCH_STEPS; i++) {
    const mid = (lo + hi) / 2;
    setFit(block, mid);
    if (fits()) lo = mid; else hi = mid;
  }
  setFit(block, lo);
  return lo;
}
