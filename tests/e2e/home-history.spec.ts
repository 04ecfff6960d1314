import { expect, test } from './helpers/portal';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshot } from './helpers/screenshots';
import { HOME_PAGE_EVENTS } from '../../src/lib/utils/rules';

test('the plan’s history shows each closed commission sitting and each published edition', async ({
	page,
	request
}, testInfo) => {
	await page.goto('/historique');
	const history = page.getByRole('main');
	await expect(history.getByText('Bilan 2018 publié')).toBeVisible();
	await expect(
		history.getByText(/Séance de la commission des usages numériques\s:\s\d+\sdécisions/)
	).toBeVisible();
	// As many sitting entries as closed sittings, as many edition entries as published editions.
	const commission = await (await request.get('/commission')).text();
	const closed = new Set(commission.match(/\/commission\/seances\/\d+(?=")/g) ?? []);
	await expect(history.getByRole('link', { name: /^Relevé de décisions du \d/ })).toHaveCount(
		closed.size
	);
	// Each named by its day, none the same.
	const names = await history
		.getByRole('link', { name: /^Relevé de décisions du \d/ })
		.allTextContents();
	expect(new Set(names).size).toBe(names.length);
	const editions = await (await request.get('/bilans')).text();
	const published = new Set(editions.match(/\/bilans\/\d{4}(?:\?version=\d+)?(?=")/g) ?? []);
	const bilans = history.getByRole('link', { name: /^Bilan \d{4}, version \d+$/ });
	await expect(bilans).toHaveCount(published.size);
	// Each leads to its own version, named: none the same.
	const bilanNames = await bilans.allTextContents();
	expect(new Set(bilanNames).size).toBe(bilanNames.length);
	// In the order of their dates, the adoption first.
	const dates = await history
		.locator('time')
		.evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
	expect(dates).toEqual([...dates].sort());
	expect(dates[0]).toBe('2018-07-19');
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('historique.png'));

	// The home page lists the latest of them, in the same order, and leads to the others.
	await page.goto('/');
	const latest = page.getByRole('region', { name: 'Historique du plan' });
	const shown = await latest
		.locator('time')
		.evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
	expect(shown).toEqual(dates.slice(-HOME_PAGE_EVENTS));
	const more = latest.getByRole('link', { name: 'tout l’historique du plan' });
	await expect(more).toHaveCount(dates.length > HOME_PAGE_EVENTS ? 1 : 0);
	if (dates.length > HOME_PAGE_EVENTS)
		await expect(latest).toContainText(
			`Les ${HOME_PAGE_EVENTS} derniers événements sur ${dates.length}`
		);
	await screenshot(page, testInfo.outputPath('accueil.png'));
});
