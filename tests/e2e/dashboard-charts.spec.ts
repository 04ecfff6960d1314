import type { Browser, Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs } from './helpers/accounts';
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

/**
 * The opaque pixels each drawn canvas of `page` holds: `light` ones (seen on a black theme) and
 * `design` ones, in the portal's own text or value colour (#161616, #000091: unseen on black).
 */
function canvasInk(page: Page) {
	return page.locator('canvas[data-drawn]').evaluateAll((canvases) =>
		(canvases as HTMLCanvasElement[]).map((canvas) => {
			const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
			const ink = { light: 0, design: 0 };
			const near = (i: number, [r, g, b]: number[], within: number) =>
				Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) <
				within;
			for (let i = 0; i < data.length; i += 4) {
				if (data[i + 3]! < 200) continue;
				if ((data[i]! + data[i + 1]! + data[i + 2]!) / 3 > 128) ink.light += 1;
				// Whole pixels of the text colour (a stripe's edge is grey too, but not opaque).
				const text = data[i + 3] === 255 && near(i, [22, 22, 22], 6);
				if (text || near(i, [0, 0, 145], 24)) ink.design += 1;
			}
			return ink;
		})
	);
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

test('with forced colours and a dark theme the charts draw in the theme’s colours, and back when it ends', async ({
	browser
}, testInfo) => {
	const context = await browser.newContext({ forcedColors: 'active', colorScheme: 'dark' });
	const page = await context.newPage();
	await page.goto('/tableau-de-bord');
	await expect(page.locator('canvas:not([data-drawn])')).toHaveCount(0);
	await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(0, 0, 0)');
	// Chart.js draws its text, grid, legend and bars in the system's colours: light ink on black.
	await expect
		.poll(async () => (await canvasInk(page)).every((ink) => ink.light > 200 && ink.design === 0))
		.toBe(true);
	await screenshot(page, testInfo.outputPath('tableau-de-bord-couleurs-forcees.png'));
	// The mode ends while the page is open: the charts take the design's colours again.
	await page.emulateMedia({ forcedColors: 'none' });
	await expect
		.poll(async () => (await canvasInk(page)).every((ink) => ink.light === 0 && ink.design > 0))
		.toBe(true);
	await page.emulateMedia({ forcedColors: 'active' });
	await expect
		.poll(async () => (await canvasInk(page)).every((ink) => ink.light > 200 && ink.design === 0))
		.toBe(true);

	// The fiche's chart, SVG drawn on the server: its text in CanvasText, its values in Highlight.
	await page.goto('/fiches/14-1');
	const chart = page.locator('.line-svg').first();
	// The page's text is forced to CanvasText (white here); the values are in Highlight, light too.
	const text = await page.locator('body').evaluate((body) => getComputedStyle(body).color);
	expect(text).toBe('rgb(255, 255, 255)');
	await expect(chart.locator('.tick').first()).toHaveCSS('fill', text);
	await expect(chart.locator('.legend text').first()).toHaveCSS('fill', text);
	const lightness = (colour: string) => {
		const [r, g, b] = colour.match(/\d+/g)!.map(Number);
		return (r! + g! + b!) / 3;
	};
	for (const [mark, property] of [
		['.point', 'fill'],
		['path.values', 'stroke']
	] as const) {
		const colour = await chart
			.locator(mark)
			.first()
			.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
		expect(lightness(colour), `${mark} ${colour}`).toBeGreaterThan(128);
	}
	await screenshot(chart, testInfo.outputPath('fiche-14-1-couleurs-forcees.png'));
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

/** Updates of CDG46's fiches, with their advancement, submitted and validated. */
async function assess(progress: Record<string, number>) {
	const partner = await apiAs(ACCOUNTS.partner);
	const admin = await apiAs(ACCOUNTS.admin);
	for (const [code, value] of Object.entries(progress)) {
		const submitted = await partner.post(`/espace/fiches/${code}/suivi`, {
			form: {
				reported_on: '2026-03-01',
				status: 'en_cours',
				progress: String(value),
				done: 'Avancement évalué',
				next_steps: '',
				difficulties: '',
				submission_key: `telephone-etroit-${code}`,
				version: '',
				intent: 'submit'
			}
		});
		const id = /soumis=(\d+)/.exec(submitted.headers().location ?? '')?.[1];
		expect(id, code).toBeTruthy();
		const validated = await admin.post(`/admin/suivis/${id}?/valider`, { form: { version: '1' } });
		expect(validated.status(), code).toBe(303);
	}
	await partner.dispose();
	await admin.dispose();
}

test('on a narrow phone (320 and 375 px) the bar charts draw their labels and legend inside the canvas', async ({
	browser
}, testInfo) => {
	// Fiches assessed in two axes out of three: the chart by axis is drawn, with « (non évalué) ».
	await assess({ '1-2': 40, '9-1': 70, '12-1': 20 });
	for (const width of [320, 375]) {
		const context = await browser.newContext({
			viewport: { width, height: 700 },
			isMobile: true,
			hasTouch: true,
			deviceScaleFactor: 2
		});
		const page = await context.newPage();
		await page.goto('/tableau-de-bord');
		await expect(page.locator('canvas:not([data-drawn])')).toHaveCount(0);
		await expect(page.getByRole('img', { name: /^Avancement par axe :/ })).toBeVisible();
		// A label or legend cut by the canvas' edge leaves ink in its first or last columns of pixels.
		const edges = () =>
			page.locator('canvas[data-drawn]').evaluateAll((canvases) =>
				(canvases as HTMLCanvasElement[]).map((canvas) => {
					const context = canvas.getContext('2d')!;
					const ink = (x: number) =>
						context
							.getImageData(x, 0, 2, canvas.height)
							.data.filter((value, i) => i % 4 === 3 && value > 100).length;
					return `${canvas.getAttribute('aria-label')!.slice(0, 40)} : ${ink(0)}, ${ink(canvas.width - 2)}`;
				})
			);
		await expect
			.poll(async () => (await edges()).filter((edge) => !edge.endsWith(' : 0, 0')))
			.toEqual([]);
		for (const [name, file] of [
			[/Avancement par axe/, `axes-${width}.png`],
			[/Avancement par orientation/, `orientations-${width}.png`]
		] as const)
			await screenshot(page.getByRole('figure', { name }), testInfo.outputPath(file));
		await context.close();
	}
});
