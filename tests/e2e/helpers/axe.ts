import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Fails with the list of violations when axe-core finds any (WCAG 2.1 A and AA rules).
 *
 * `axe.run` in the page itself (AxeBuilder's legacy mode): the default mode gathers each frame's
 * results and finishes them in a new blank page, a second page opened and axe injected again on
 * every call — about twice the time of the scan, for cross-origin frames the portal never has.
 * Only violations are reported in full (`resultTypes`): the same rules run, but the elements that
 * pass are not each described and sent back, a third of the time of a scan saved.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page })
		.setLegacyMode()
		// Before withTags: options() replaces every option given so far, the tags among them.
		.options({ resultTypes: ['violations'] })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
		.analyze();
	const summary = results.violations.map(
		(v) =>
			`${v.id} (${v.impact}): ${v.help} — ${v.nodes
				.map((n) => n.target.join(' '))
				.slice(0, 3)
				.join(', ')}`
	);
	expect(summary, `axe-core violations on ${page.url()}`).toEqual([]);
}

/**
 * axe-core on what a page shows without JavaScript (a context with `javaScriptEnabled: false`
 * cannot run axe): its HTML, scripts removed, is checked in a scripted page of the same origin.
 */
export async function expectNoAxeViolationsWithoutScript(page: Page): Promise<void> {
	const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
	const context = await page.context().browser()!.newContext();
	const copy = await context.newPage();
	await copy.goto(new URL('/robots.txt', page.url()).href).catch(() => undefined);
	await copy.route('**/*', (route) =>
		route.request().resourceType() === 'document' ? route.abort() : route.continue()
	);
	await copy.setContent(html, { waitUntil: 'load' });
	try {
		await expect(copy.locator('main h1')).toHaveCount(1);
		await expectNoAxeViolations(copy);
	} finally {
		await context.close();
	}
}
