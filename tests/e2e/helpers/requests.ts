import type { Page } from '@playwright/test';

/**
 * Holds the requests of `page` that `matches` picks (as page.route takes it) until `release()`;
 * `arrived()` once one came. A test that checks what happens while a request is under way holds
 * it for as long as it needs, never for a fixed time a loaded machine may overrun.
 */
export async function holdRequests(
	page: Page,
	matches: string | RegExp | ((url: URL) => boolean)
): Promise<{ release: () => void; arrived: () => boolean }> {
	let release = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	let arrived = false;
	await page.route(matches, async (route) => {
		arrived = true;
		await released;
		await route.continue();
	});
	return { release: () => release(), arrived: () => arrived };
}

/**
 * Once every request `page` sent before the call has been reported to the test (its `request`
 * listeners called): the page fetches a mark, and Playwright reports a page's requests in the
 * order they were sent. A count of requests checked after it is final, without a fixed wait.
 */
export async function requestsReported(page: Page): Promise<void> {
	const mark = `/robots.txt?marque=${Math.random().toString(36).slice(2)}`;
	await Promise.all([
		page.waitForRequest((request) => request.url().endsWith(mark)),
		page.evaluate((url) => fetch(url).then(() => undefined), mark)
	]);
}
