import type { Page } from '@playwright/test';

/**
 * WCAG 1.4.12's text spacing (wider lines, letters, words and paragraphs), added to the page as
 * it is: a page must keep every word on screen with it.
 */
export async function widenTextSpacing(page: Page): Promise<void> {
	await page.addStyleTag({
		content:
			'* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }'
	});
}

/** How wide the page is drawn, in CSS pixels (more than the window: it scrolls sideways). */
export function pageWidth(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth);
}
