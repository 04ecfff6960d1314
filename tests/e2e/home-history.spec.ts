import { expect, test } from './helpers/portal';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshot } from './helpers/screenshots';

test('the plan’s history shows each closed commission sitting and each published edition', async ({
	page,
	request
}, testInfo) => {
	await page.goto('/');
	const history = page.getByRole('region', { name: 'Historique du plan' });
	await expect(history.getByText('Bilan 2018 publié')).toBeVisible();
	await expect(
		history.getByText(/Séance de la commission des usages numériques : \d+ décisions/)
	).toBeVisible();
	// As many sitting entries as closed sittings, as many edition entries as published editions.
	const commission = await (await request.get('/commission')).text();
	const closed = new Set(commission.match(/\/commission\/seances\/\d+(?=")/g) ?? []);
	await expect(history.getByRole('link', { name: 'Relevé de décisions' })).toHaveCount(closed.size);
	const editions = await (await request.get('/bilans')).text();
	const published = new Set(editions.match(/\/bilans\/\d{4}(?:\?version=\d+)?(?=")/g) ?? []);
	await expect(history.getByRole('link', { name: /^Bilan \d{4}$/ })).toHaveCount(published.size);
	// In the order of their dates.
	const dates = await history
		.locator('time')
		.evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
	expect(dates).toEqual([...dates].sort());
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('accueil.png'));
});
