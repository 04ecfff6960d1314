import { readFileSync } from 'node:fs';
import { expect, test } from './helpers/portal';
import { screenshot } from './helpers/screenshots';
import { pageWidth, widenTextSpacing } from './helpers/layout';

test('a newcomer explores the plan, filters, follows links and downloads the CSV', async ({
	page,
	request
}, testInfo) => {
	// Other specs may change priorities through the commission: count from the open data.
	const plan = await (await request.get('/donnees/plan.json')).json();
	const priorityOne = plan.fiches.filter((f: { priority: number }) => f.priority === 1).length;
	await page.goto('/');
	await expect(page.locator('h1')).toHaveText('Schéma des usages et services numériques du Lot');
	const counts = page.getByRole('list', { name: 'Chiffres clés' });
	await expect(counts).toContainText('23 fiches-actions');
	await expect(counts).toContainText(`${priorityOne} fiches de priorité 1`);
	await expect(page.getByRole('heading', { level: 2, name: /Axe 3 « modernité »/ })).toBeVisible();
	await screenshot(page, testInfo.outputPath('accueil.png'));

	await page.getByRole('link', { name: 'Rechercher et filtrer les fiches-actions' }).click();
	await expect(page).toHaveURL(/\/fiches$/);
	await expect(page.getByRole('heading', { level: 2, name: '23 fiches trouvées' })).toBeVisible();

	await page.getByLabel('Priorité').selectOption('1');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page).toHaveURL(/priorite=1/);
	await expect(
		page.getByRole('heading', { level: 2, name: `${priorityOne} fiches trouvées` })
	).toBeVisible();

	await page.getByLabel('Organisation (porteur ou partenaire)').selectOption({ label: 'CDG46' });
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page).toHaveURL(/organisation=cdg46/);
	await expect(page).toHaveURL(/priorite=1/);
	await expect(page.getByRole('heading', { level: 2, name: '4 fiches trouvées' })).toBeVisible();
	await expect(page.getByLabel('Priorité')).toHaveValue('1');
	await screenshot(page, testInfo.outputPath('fiches-filtrees.png'));

	await page.getByRole('link', { name: /^9-1 — Partage de processus SI/ }).click();
	await expect(page.locator('h1')).toContainText('Partage de processus SI');
	await expect(page.getByRole('link', { name: 'CDG46' }).first()).toBeVisible();

	const linked = page.getByRole('region', { name: 'Fiches liées' });
	await linked.getByRole('link', { name: /^6-1/ }).first().click();
	await expect(page).toHaveURL(/\/fiches\/6-1$/);
	await expect(page.locator('h1')).toContainText('data center territorial');
	await expect(page.getByText('Mise à disposition d’infrastructures :')).toBeVisible();
	await screenshot(page, testInfo.outputPath('fiche-6-1.png'));

	await page.getByRole('link', { name: 'Données ouvertes', exact: true }).first().click();
	const downloadPromise = page.waitForEvent('download');
	await page.getByRole('link', { name: 'fiches.csv', exact: true }).click();
	const download = await downloadPromise;
	expect(download.suggestedFilename()).toBe('sdusn-fiches.csv');
	const csv = readFileSync((await download.path())!, 'utf8');
	expect(csv.split('\n')[0]).toBe(
		'code,objectif,axe,orientation,titre,priorite,porteurs,partenaires,fiches_liees,statut,avancement,derniere_mise_a_jour'
	);
	expect(csv).toContain(
		'14-1,14,modernite,open-innovation,Équipement d’un wifi territorial dans chaque commune,1'
	);
});

test('the fiche 14-1 shows its history, indicator and both link directions', async ({
	page
}, testInfo) => {
	const scripts: string[] = [];
	page.on('request', (request) => {
		if (request.resourceType() === 'script') scripts.push(request.url());
	});
	await page.goto('/fiches/14-1');
	await expect(page.getByText('En cours').first()).toBeVisible();
	const history = page.getByRole('region', { name: 'Historique' });
	await expect(history.getByRole('listitem')).toHaveCount(4);
	await expect(history).toContainText('52 délibérations communales');
	await expect(history).toContainText('Source : Délibération CS2019/10');
	expect(scripts).toEqual([]);
	await history.getByRole('link', { name: '2018' }).click();
	await expect(page.locator('h1')).toHaveText('Fiche 14-1 : mises à jour publiées en 2018');
	await expect(page.locator('ol.history > li')).toHaveCount(3);
	expect((await page.goto('/fiches/14-1/historique/2017'))?.status()).toBe(404);
	await page.goto('/fiches/14-1');
	const indicators = page.getByRole('region', { name: 'Indicateurs d’évaluation' });
	await expect(indicators.getByRole('cell', { name: '31 décembre 2018' })).toBeVisible();
	await expect(indicators.getByRole('cell', { name: '10 communes' })).toBeVisible();
	// The indicator's chart is on the fiche page too, drawn on the server: the page sends no script.
	await expect(
		indicators.getByRole('img', { name: /10 communes au 31 décembre 2018/ }).locator('path.values')
	).toHaveCount(1);
	await screenshot(page, testInfo.outputPath('fiche-14-1.png'));

	await page.goto('/fiches/8-1');
	const links = page.getByRole('region', { name: 'Fiches liées' });
	await expect(links.getByRole('link')).toHaveCount(10);
});

test('read-only public pages send no script', async ({ page }) => {
	const scripts: string[] = [];
	page.on('request', (request) => {
		if (request.resourceType() === 'script') scripts.push(request.url());
	});
	for (const path of [
		'/',
		'/fiches?axe=solidarite',
		'/organisations',
		'/organisations/cdg46',
		'/bilans',
		'/commission/priorites'
	]) {
		await page.goto(path);
		await expect(page.locator('h1')).toBeVisible();
	}
	expect(scripts).toEqual([]);
	// A filter still works: the form is a plain GET.
	await page.goto('/fiches');
	await page.getByLabel('Axe').selectOption('modernite');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page).toHaveURL(/axe=modernite/);
	await expect(page.getByRole('link', { name: /^14-1/ })).toBeVisible();
});

test('at 320 px (a 400 % zoom), with wider text spacing, the fiche and edition pages keep everything on screen', async ({
	browser
}) => {
	const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
	const page = await context.newPage();
	for (const path of ['/fiches/14-1', '/bilans/2018/fiches/17-1', '/bilans/2018']) {
		await page.goto(path);
		await widenTextSpacing(page);
		expect(await pageWidth(page), path).toBeLessThanOrEqual(320);
	}
	// The edition's cover puts each value under its label: « 31 décembre 2018 » on one line, its
	// year not cut (« 201 / 8 »); a data file's name is not cut after its hyphen.
	const lines = (text: string) =>
		page
			.getByText(text, { exact: true })
			.first()
			.evaluate((el) => {
				const range = document.createRange();
				range.selectNodeContents(el);
				return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
			});
	expect(await lines('31\u00a0décembre\u00a02018')).toBe(1);
	await page.goto('/donnees');
	expect(await lines('mesures-2018.csv')).toBe(1);
	await context.close();
});

test('the portal works without JavaScript and on a phone', async ({ browser }, testInfo) => {
	const context = await browser.newContext({
		javaScriptEnabled: false,
		viewport: { width: 375, height: 740 }
	});
	const page = await context.newPage();
	await page.goto('/fiches');
	await page.getByLabel('Axe').selectOption('solidarite');
	await page.getByLabel(/^Rechercher dans les fiches/).fill('numérique');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page).toHaveURL(/axe=solidarite/);
	await expect(page.getByRole('link', { name: /^10-2/ })).toBeVisible();
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(375);
	await screenshot(page, testInfo.outputPath('telephone-fiches.png'));
	await page.goto('/fiches/13-1');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	await screenshot(page, testInfo.outputPath('telephone-fiche-13-1.png'));
	await context.close();
});
