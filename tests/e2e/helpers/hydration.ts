import type { Page } from '@playwright/test';

/**
 * Waits until the page's script has taken over: the root layout marks `<html data-hydrated>` once
 * every component is mounted and SvelteKit's router has started (src/routes/+layout.svelte). What a
 * test waits for before typing in a form (typed before, the page's script would take it for the
 * form's starting values) or pressing a button the script handles. A page served without
 * SvelteKit's script (`csr = false`: no inline starter script; the dashboard keeps only its charts'
 * module, by `src`), or opened with scripts off, has nothing to wait for. A
 * page opened by `page.goto` starts without the mark; after a click that changes page inside the
 * portal (no new document), the mark stays: wait for something of the new page first.
 */
export async function waitForHydration(page: Page): Promise<void> {
	// A context without JavaScript (`javaScriptEnabled: false`) never runs the page's script.
	if (await page.evaluate(() => matchMedia('(scripting: none)').matches)) return;
	await page
		.locator('html[data-hydrated], html:not(:has(script:not([src])))')
		.waitFor({ state: 'attached' });
}
