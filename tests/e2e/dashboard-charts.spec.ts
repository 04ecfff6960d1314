import type { Browser } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshot } from './helpers/screenshots';

/** `path` opened without JavaScript: its chart areas (more than three) are collapsed. */
async function openWithoutScript(browser: Browser, path: string) {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(path);
	const charts = page.locator('.chart');
	expect(await charts.count()).toBeGreaterThan(3);
	for (const chart of await charts.all()) await expect(chart).toBeHidden();
	return { context, page };
}

test('an empty chart says why in words (the 2018 edition has no assessed fiche)', async ({
	page
}) => {
	await page.goto('/bilans/2018');
	const figure = page.getByRole('figure', { name: /Avancement par axe/ });
	await expect(figure).toContainText(
		'Pas de graphique : aucune fiche n’a encore d’avancement évalué'
	);
	await expect(figure.locator('canvas')).toHaveCount(0);
	// The table still gives the figures.
	await expect(figure.getByRole('table')).toContainText(
		'« modernité » : Développement de l’innovation'
	);
	await expectNoAxeViolations(page);
});

test('without JavaScript the chart areas collapse and the tables stand alone', async ({
	browser
}, testInfo) => {
	const { context, page } = await openWithoutScript(browser, '/tableau-de-bord');
	const figure = page.getByRole('figure', { name: /Mises à jour validées par trimestre/ });
	const box = (await figure.boundingBox())!;
	const table = (await figure.getByRole('table').boundingBox())!;
	// The figure is its caption, its table and its download link: no blank area for the chart.
	expect(box.height - table.height).toBeLessThan(160);
	await screenshot(page, testInfo.outputPath('tableau-de-bord-sans-js.png'));
	await context.close();
});

test('on a phone the dashboard draws its charts inside the screen', async ({
	browser
}, testInfo) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await page.goto('/tableau-de-bord');
	await expect(page.locator('canvas:not([data-drawn])')).toHaveCount(0);
	const widths = await page
		.locator('canvas')
		.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
	for (const right of widths) expect(right).toBeLessThanOrEqual(390);
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('tableau-de-bord-390.png'));
	for (const [name, file] of [
		[/Avancement par axe/, 'axes-390.png'],
		[/Avancement par orientation/, 'orientations-390.png']
	] as const)
		await screenshot(page.getByRole('figure', { name }), testInfo.outputPath(file));
	// A figure's table area is a tab stop while it scrolls sideways, not once it fits.
	const tabStops = async () => {
		const stops = { scrolling: 0, fitting: 0 };
		for (const area of await page.locator('.figure-table').all()) {
			const scrolls = await area.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
			if (scrolls) await expect(area).toHaveAttribute('tabindex', '0');
			else await expect(area).not.toHaveAttribute('tabindex');
			stops[scrolls ? 'scrolling' : 'fitting'] += 1;
		}
		return stops;
	};
	await tabStops();
	await page.setViewportSize({ width: 1280, height: 900 });
	await expect.poll(async () => (await tabStops()).fitting).toBeGreaterThan(0);
	await context.close();
});

test('the edition reads without JavaScript: its charts are drawn by a script it loads, its tables stand alone', async ({
	browser
}, testInfo) => {
	const { context, page } = await openWithoutScript(browser, '/bilans/2018');
	await expect(
		page.getByRole('figure', { name: /Mises à jour validées par trimestre/ }).getByRole('table')
	).toContainText('3e trimestre 2018');
	// Each of the 23 fiches is listed, each line a link to the fiche as this edition froze it.
	const fiches = page.locator('.fiche-list li');
	await expect(fiches).toHaveCount(23);
	await expect(fiches.first().getByRole('link')).toHaveAttribute(
		'href',
		/^\/bilans\/2018\/fiches\/\d{1,2}-\d\?version=1$/
	);
	await screenshot(page, testInfo.outputPath('bilan-sans-js.png'));
	await context.close();
});
