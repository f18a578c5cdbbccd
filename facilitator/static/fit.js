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
export function fitOrPage(region, container, items) {
  container.replaceChildren(...items);
  setFit(region, 1);
  if (!overflows(region, container)) return { fit: 1, pages: [[0, items.length]] };
  setFit(region, 0);
  if (!overflows(region, container)) {
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
  // Paging at the floor: lay out what is left, cut before the first item that reaches past the bottom.
  // Laying out again from each cut keeps grid rows right (a page may start in what was mid-row).
  const pages = [];
  let start = 0;
  while (start < items.length) {
    container.replaceChildren(...items.slice(start));
    const bottom = region.getBoundingClientRect().bottom + 0.5;
    let end = start + 1;
    while (end < items.length && items[end].getBoundingClientRect().bottom <= bottom) end++;
    pages.push([start, end]);
    start = end;
  }
  return { fit: 0, pages };
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
