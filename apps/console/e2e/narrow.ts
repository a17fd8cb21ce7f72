// What does not fit a phone's screen (390 CSS px), measured in the page: used by the specs that check the
// console's screens and dialogs at that width.
import type { Page } from 'playwright-core';

/** The width of the narrow screen the console must fit (a common phone, in CSS pixels). */
export const NARROW_WIDTH = 390;

/**
 * What sticks out of a 390 px page: the page wider than the screen, and the innermost visible elements past
 * its right edge outside any box that scrolls sideways, by tag, class, text and right edge; empty when
 * everything fits. With `dialog`, only what the open dialog (the last one) shows.
 */
export const overflowing = (p: Page, o: { dialog?: boolean } = {}): Promise<string[]> => p.evaluate(([width, dialog]) => {
  const scrolled = (e: Element) => {
    for (let a = e.parentElement; a; a = a.parentElement) if (/auto|scroll/.test(getComputedStyle(a).overflowX) && a.getBoundingClientRect().right <= width + 1) return true;
    return false;
  };
  const within = dialog ? Array.from(document.querySelectorAll('[role="dialog"]')).pop() : document.body;
  if (!within) return ['no open dialog'];
  const wide = [within, ...Array.from(within.querySelectorAll('*'))].filter((e) => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).visibility !== 'hidden' && !scrolled(e));
  return [!dialog && document.documentElement.scrollWidth > width ? `page ${document.documentElement.scrollWidth} px wide` : '', ...wide
    .filter((e) => !wide.some((o) => o !== e && e.contains(o)))
    .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} "${(e.textContent ?? '').slice(0, 40)}" ${Math.round(e.getBoundingClientRect().right)}`)].filter(Boolean);
}, [NARROW_WIDTH, o.dialog === true] as const);
