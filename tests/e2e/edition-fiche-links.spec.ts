import type { Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, signedIn } from './helpers/accounts';
import { waitForHydration } from './helpers/hydration';

/** Every fiche link of a bilan's axes answers a page, not « Page introuvable ». */
async function expectEveryFicheLinkFound(page: Page) {
	const hrefs = await page
		.locator('section.axis .fiche-list li > a:first-child')
		.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
	expect(hrefs.length).toBeGreaterThan(20);
	const missing: string[] = [];
	for (const href of hrefs) if ((await page.request.get(href)).status() !== 200) missing.push(href);
	expect(missing).toEqual([]);
}

/** Console errors (a preload that failed on hovering) and uncaught errors on `page`. */
function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
	return errors;
}

// Walk s58: on an admin's view of a bilan, 21 of the 23 fiche links (all of a draft's) led to
// « La fiche 1-1 n'a pas de mise à jour publiée en 2018 », the fiche's history of a year it had no
// update in; hovering one already logged the failed preload.
test('the fiches of a bilan seen by an admin, published or draft, open their page', async ({
	browser
}) => {
	const { context, page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin' });
	const errors = watchErrors(page);
	await page.getByRole('link', { name: 'Bilans annuels' }).click();
	await page.getByRole('link', { name: 'Bilan 2018, version 1' }).click();
	await expect(page.locator('h1')).toHaveText(/Bilan 2018/);
	await waitForHydration(page);
	await expectEveryFicheLinkFound(page);
	const first = page.locator('section.axis .fiche-list li > a').first();
	await first.hover();
	await first.click();
	// The fiche as the bilan froze it, as from the public page /bilans/2018.
	await expect(page).toHaveURL(/\/bilans\/2018\/fiches\/1-1\?version=1$/);
	await expect(page.locator('h1')).toContainText('1-1');
	expect(errors).toEqual([]);

	// A draft froze nothing yet: each fiche opens its page today.
	await page.goto('/admin/bilans');
	await waitForHydration(page);
	await page.getByLabel('Année').fill('2019');
	await page.getByLabel(/Chiffres arrêtés au/).fill('2019-12-31');
	await page.getByLabel('Introduction').fill('Une année de lancement.');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect(page.getByText('Aperçu du brouillon')).toBeVisible();
	await waitForHydration(page);
	await expectEveryFicheLinkFound(page);
	const link = page.locator('section.axis .fiche-list li > a').first();
	await link.hover();
	await link.click();
	await expect(page).toHaveURL(/\/fiches\/1-1$/);
	await expect(page.locator('h1')).toContainText('1-1');
	expect(errors).toEqual([]);
	await context.close();
});
