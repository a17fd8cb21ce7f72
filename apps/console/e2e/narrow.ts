// What does not fit a phone's screen (390 CSS px), measured in the page: used by the specs that check the
// console's screens and dialogs at that width.
import type { Page } from 'playwright-core';

/** The width of the narrow screen the console must fit (a common phone, in CSS pixels). */
export const NARROW_WIDTH = 390;

/**
 * What sticks out of a 390 px page: the page wider than the screen, and the innermost visible elements past
 * its right edge outside any box that scrolls sideways, by tag, class, text and right edge; empty when
 * everything fits. With `dialog`, only what the open dialog (the last one) shows, and in it also any box whose
 * content is wider than the box (text cut off or spilling out).
 */
export const overflowing = (p: Page, o: { dialog?: boolean } = {}): Promise<string[]> => p.evaluate(([width, dialog]) => {
  const within = dialog ? Array.from(document.querySelectorAll('[role="dialog"]')).pop() : document.body;
  if (!within) return ['no open dialog'];
  // inside a box that scrolls sideways and fits the screen, a wide element is reachable (a dialog scrolls
  // only up and down, though its overflow-x computes to auto too: it and what holds it do not count); a
  // line that ends in an ellipsis inside the screen (the app bar's title: "Certificate 6ccfeee18e…") is
  // cut short on purpose, and its text is on the page in full
  const scrolled = (e: Element) => {
    for (let a = e.parentElement; a && a !== within && within.contains(a); a = a.parentElement) {
      const style = getComputedStyle(a);
      const ellipsis = style.textOverflow === 'ellipsis' && style.whiteSpace === 'nowrap' && style.overflowX === 'hidden';
      if ((/auto|scroll/.test(style.overflowX) || ellipsis) && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const all = [within, ...Array.from(within.querySelectorAll('*'))].filter((e) => getComputedStyle(e).visibility !== 'hidden' && !scrolled(e));
  const wide = all.filter((e) => e.getBoundingClientRect().right > width + 1);
  // in a dialog, also text wider than its own box (a long serial in a title, cut off or spilling out)
  const spilling = dialog ? all.filter((e) => !/auto|scroll/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) : [];
  const describe = (e: Element) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} "${(e.textContent ?? '').slice(0, 40)}" ${Math.round(e.getBoundingClientRect().right)}`;
  return [!dialog && document.documentElement.scrollWidth > width ? `page ${document.documentElement.scrollWidth} px wide` : '',
    ...wide.filter((e) => !wide.some((o) => o !== e && e.contains(o))).map(describe),
    ...spilling.filter((e) => !spilling.some((o) => o !== e && e.contains(o))).map((e) => `${describe(e)} (content ${e.scrollWidth} px in ${e.clientWidth})`)].filter(Boolean);
}, [NARROW_WIDTH, o.dialog === true] as const);

/**
 * What to fix when a screen overflows: from the body down, the element whose hiding takes away the most of
 * the overflow, until hiding none of its children helps (that element's own content is too wide).
 */
export const widest = (p: Page): Promise<string> => p.evaluate(() => {
  const over = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const path: string[] = [];
  let at: Element = document.body;
  for (;;) {
    const base = over();
    let best: { e: Element; gain: number } | null = null;
    for (const c of Array.from(at.children)) {
      const el = c as HTMLElement;
      const was = el.style.display;
      el.style.display = 'none';
      const gain = base - over();
      el.style.display = was;
      if (gain > 0 && (!best || gain > best.gain)) best = { e: c, gain };
    }
    if (!best) break;
    at = best.e;
    path.push(`${at.tagName.toLowerCase()}${at.id ? `#${at.id}` : ''}.${Array.from(at.classList).filter((k) => !k.startsWith('css-')).slice(0, 2).join('.')}`);
  }
  return `${path.slice(-4).join(' > ')} "${(at.textContent ?? '').slice(0, 60)}"`;
});
