import type { Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshot, screenshotsAtWidths } from './helpers/screenshots';

/** The options of a list that a person can see and choose. */
const visibleOptions = (page: Page, id: string) =>
	page
		.locator(`#${id} option`)
		.evaluateAll((options) =>
			options
				.filter((o) => getComputedStyle(o).display !== 'none')
				.map((o) => o.textContent?.trim())
		);

test('search treats hyphens and spaces alike and reads every text of the fiches', async ({
	page
}) => {
	await page.goto('/fiches?q=tiers-lieux');
	const hyphenated = await page.locator('h2[aria-live]').textContent();
	expect(hyphenated).toMatch(/^\s*[1-9]\d*\sfiches? trouvées?/);
	await page.goto('/fiches?q=tiers%20lieux');
	await expect(page.locator('h2[aria-live]')).toHaveText(hyphenated!.trim());
	// A success factor of fiche 3-1, not in its title or description.
	await page.goto('/fiches?q=Harmoniser%20le%20fonctionnement%20des%20SIG');
	await expect(page.getByRole('link', { name: /^3-1/ })).toBeVisible();
});

test('without JavaScript the form sends only the filters set and narrows the lists', async ({
	browser
}, testInfo) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/fiches');
	// No script runs in this page: what the server sent is what is shown (hidden options are not).
	const shown = (id: string) => page.locator(`#${id} option:not([hidden])`).allTextContents();
	const allOrientations = (await shown('orientation')).length;
	await page.getByLabel('Axe').selectOption('modernite');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page).toHaveURL(/\/fiches\?axe=modernite#resultats$/);
	const orientations = (await shown('orientation')).map((o) => o.trim());
	expect(orientations.length).toBeGreaterThan(1);
	expect(orientations.length).toBeLessThan(allOrientations);
	expect(orientations).toContain('Open innovation');
	expect(orientations).not.toContain('E-inclusion');
	expect((await shown('objectif')).filter((o) => /^\s*1\. /.test(o))).toEqual([]);
	await screenshot(page, testInfo.outputPath('fiches-axe.png'));
	// On a phone the answer's count comes into view, not the form again.
	await page.setViewportSize({ width: 390, height: 800 });
	await page.getByLabel('Priorité').selectOption('1');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page.getByRole('heading', { name: /fiches? trouvées?$/ })).toBeInViewport();
	await context.close();
});

// Walkthrough s58: a word of an axis's label found nothing, and the page said only that.
test('a search that finds no fiche names the plan’s labels that hold it, each with its fiches, without JavaScript', async ({
	browser
}, testInfo) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/fiches?q=e-administration');
	await expect(page.getByRole('heading', { name: /fiches? trouvées?$/ })).toHaveText(
		/^\s*0\sfiche trouvée\s*$/
	);
	await expect(page.locator('main')).toContainText(
		/Aucune fiche ne contient «\se-administration\s»\./
	);
	await expect(page.locator('main')).toContainText(
		/La recherche lit le texte des fiches, pas les intitulés du plan, où figure «\se-administration\s»/
	);
	const link = page.getByRole('link', {
		name: /^Afficher les fiches de l’axe 1 «\sTransformation vers l’e-administration\s»$/
	});
	await screenshotsAtWidths(page, testInfo.outputPath.bind(testInfo), 'fiches-recherche-intitule');
	await link.click();
	await expect(page).toHaveURL(/\/fiches\?axe=performance#resultats$/);
	await expect(page.getByRole('heading', { name: /fiches? trouvées?$/ })).toHaveText(
		/^\s*[1-9]\d*\sfiches? trouvées?\s*$/
	);
	// With another filter, the count is said as before, and nothing of the labels: that filter may
	// be what emptied the list (« numérique », in many fiches, beside a status none has).
	await page.goto('/fiches?q=e-administration&priorite=1');
	await expect(page.locator('main')).toContainText('Aucune fiche ne correspond à ces critères.');
	await expect(page.locator('main')).not.toContainText('intitulés du plan');
	await expect(page.getByRole('link', { name: /^Afficher les fiches de l’axe 1/ })).toHaveCount(0);
	await context.close();
});

test('choosing an axis narrows the orientation and objective lists at once', async ({ page }) => {
	await page.goto('/fiches');
	await expectNoAxeViolations(page);
	await page.getByLabel('Axe').selectOption('solidarite');
	const orientations = await visibleOptions(page, 'orientation');
	expect(orientations).toContain('E-inclusion');
	expect(orientations).not.toContain('Open innovation');
	await page.getByLabel('Orientation').selectOption({ label: 'E-inclusion' });
	const objectives = await visibleOptions(page, 'objectif');
	expect(objectives[0]).toBe('Tous les objectifs');
	expect(objectives.length).toBeGreaterThan(1);
	expect(objectives.length).toBeLessThan(8);
	// Back to every axis: every orientation again.
	await page.getByLabel('Axe').selectOption('');
	await page.getByLabel('Orientation').selectOption('');
	expect(await visibleOptions(page, 'orientation')).toContain('Open innovation');
	// A contradiction left in the address is dropped with a note, not an empty list.
	await page.goto('/fiches?axe=performance&orientation=e-inclusion');
	await expect(page.getByText(/n’appartient pas à l’axe choisi/)).toBeVisible();
});

test('the priorities’ axis filter left aside says why, as the fiche list’s', async ({ page }) => {
	// Given twice: the first axis is kept, with the note /fiches gives.
	await page.goto('/commission/priorites?axe=performance&axe=modernite');
	const notice = page.getByRole('status').filter({ hasText: 'n’ont pas été appliqués' });
	await expect(notice).toContainText(
		/Le filtre «\saxe\s» a été donné plusieurs fois\s: seule la première valeur est retenue\./
	);
	await expect(page.getByLabel('Axe')).toHaveValue('performance');
	await expectNoAxeViolations(page);
	// Unknown: every axis, and the value quoted.
	await page.goto('/commission/priorites?axe=inconnu');
	await expect(notice).toContainText(/Axe inconnu «\sinconnu\s»\s: filtre ignoré\./);
	await expect(page.getByLabel('Axe')).toHaveValue('');
	// A known axis alone: no note.
	await page.goto('/commission/priorites?axe=modernite');
	await expect(notice).toHaveCount(0);
});
