import type { Locator, Page } from '@playwright/test';

/**
 * Screenshots are for a person to look at (pages at 1280 and 390 px, new states): taken with
 * `E2E_SCREENSHOTS=1 npm run test:e2e` into test-results/, skipped otherwise — a full-page capture
 * costs the browser a quarter to a half second, and no test reads them. What a test checks about
 * layout (widths, overflow, A4) it checks with assertions, screenshots or not.
 */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';

/** A capture of a page (full length unless `fullPage: false`) or of one element, to `path`. */
export async function screenshot(
	target: Page | Locator,
	path: string,
	{ fullPage = true }: { fullPage?: boolean } = {}
): Promise<void> {
	if (!SCREENSHOTS) return;
	if ('goto' in target) await target.screenshot({ path, fullPage });
	else await target.screenshot({ path });
}

/**
 * The page at 1280 then 390 px wide (`name-1280.png`, `name-390.png` through `path`), then back
 * at 1280. The widths change whether or not captures are taken, so that what follows sees the same
 * page either way.
 */
export async function screenshotsAtWidths(
	page: Page,
	path: (file: string) => string,
	name: string
): Promise<void> {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await screenshot(page, path(`${name}-${width}.png`));
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}
