import type { Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, loginPage } from './helpers/accounts';
import { screenshot, screenshotsAtWidths } from './helpers/screenshots';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';
import { waitForHydration } from './helpers/hydration';
import { frenchSpacing } from '../../src/lib/utils/french-spacing';
import { FICHE_FIELD_LABELS, RICH_TEXT_TYPING } from '../../src/lib/utils/vocabulary';
import { openCampaignFromPage } from './helpers/campaigns';

/** The texts of `page`'s main content naming an English expression outside any `lang="en"`. */
function unmarkedEnglish(page: Page): Promise<string[]> {
	return page.locator('main').evaluate((main) => {
		const english = /(?<![\p{L}-])(open innovation|smart|open data|data center)(?![\p{L}-])/iu;
		const found: string[] = [];
		const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
		while (walker.nextNode()) {
			const node = walker.currentNode;
			if (english.test(node.textContent ?? '') && !node.parentElement?.closest('[lang^=en]'))
				found.push((node.textContent ?? '').trim().slice(0, 60));
		}
		return found;
	});
}

test('English expressions are marked lang="en" in the figures’ tables, the priorities and the partner’s pages', async ({
	page
}) => {
	for (const path of ['/tableau-de-bord', '/commission/priorites']) {
		await page.goto(path);
		expect(await unmarkedEnglish(page), path).toEqual([]);
	}
	await expect(
		page.getByRole('link', { name: /dans l’open data/ }).locator('[lang="en"]')
	).toHaveText('open data');
	await loginPage(page, ACCOUNTS.partner);
	expect(await unmarkedEnglish(page), '/espace').toEqual([]);
	await expect(page.locator('main [lang="en"]').first()).toBeAttached();
	await page.goto('/espace/fiches/5-1/suivi');
	await expect(page.locator('.lead a [lang="en"]')).toHaveText('open data');
});

test('links that would read alone say where they lead, starting with their visible text', async ({
	page
}) => {
	await page.goto('/fiches/14-1');
	await expect(
		page.getByRole('link', { name: /^2018\s*:\s*mises à jour de la fiche 14-1$/ })
	).toBeVisible();

	// A campaign open for every fiche: the partner's line names the fiches still to update.
	await loginPage(page, ACCOUNTS.admin);
	await openCampaignFromPage(page, {
		title: 'Bilan pour les lecteurs d’écran',
		deadline: daysAfter(parisToday(), 30)
	});
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await loginPage(page, ACCOUNTS.partner);
	const campaign = page.getByRole('region', { name: 'Campagnes de suivi en cours' });
	const link = campaign.getByRole('link', { name: /^1-1\s*:\s*mettre à jour la fiche$/ });
	await expect(link).toBeVisible();
	await expect(link).toHaveAttribute('href', '/espace/fiches/1-1/suivi');
});

test('a button’s or a link’s hidden words are read apart from its visible ones (« Désactiver paul… », not « Désactiverpaul… »)', async ({
	page
}, testInfo) => {
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/utilisateurs');
	const row = page.getByRole('row').filter({ hasText: ACCOUNTS.partner.email });
	// The text itself, as a screen reader's virtual buffer reads it: no space added between parts.
	await expect(row.getByRole('button', { name: /^Désactiver/ })).toHaveText(
		`Désactiver ${ACCOUNTS.partner.email}`
	);
	await expect(row.getByRole('link', { name: /^Changer le rôle/ })).toHaveText(
		`Changer le rôle de ${ACCOUNTS.partner.email}`
	);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'utilisateurs');
	await page.goto('/admin/plan');
	await expect(page.getByRole('link', { name: /^Modifier l’axe/ }).first()).toHaveText(
		/^Modifier l’axe «\s.+\s»$/
	);
});

test('the main menu says « page » on a section’s own page only, « true » on a page below it', async ({
	page
}) => {
	const menu = page.getByRole('navigation', { name: 'Menu principal' });
	const fiches = menu.getByRole('link', { name: 'Fiches-actions' });
	await page.goto('/fiches');
	await expect(fiches).toHaveAttribute('aria-current', 'page');
	await page.goto('/fiches/14-1');
	await expect(fiches).toHaveAttribute('aria-current', 'true');
	await expect(menu.locator('[aria-current="page"]')).toHaveCount(0);
	// A section is a whole segment of the address.
	await page.goto('/donnees-personnelles');
	await expect(menu.locator('[aria-current]')).toHaveCount(0);
});

test('signing out says so on the home page, focused, under the same address for every visitor', async ({
	page
}, testInfo) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/');
	await expect(page.getByText('Déconnexion faite : votre session est fermée.')).toBeHidden();
	await loginPage(page, ACCOUNTS.partner);
	const homes: string[] = [];
	page.on('request', (request) => {
		if (new URL(request.url()).pathname === '/') homes.push(request.url());
	});
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	const notice = page
		.getByRole('status')
		.filter({ hasText: 'Déconnexion faite : votre session est fermée.' });
	await expect(notice).toBeVisible();
	await expect(notice).toBeFocused();
	await expect(page.getByRole('link', { name: 'Connexion' })).toBeVisible();
	// The page asked is the home page itself, without a query: one answer in the page cache.
	expect(homes.map((url) => new URL(url).search)).toEqual(['']);
	await screenshot(page, testInfo.outputPath('deconnecte-390.png'), { fullPage: false });
	// Anyone else reaching the home page reads no such notice.
	await page.goto('/');
	await expect(notice).toBeHidden();
});

test('the rich texts’ typing rules describe each of their fields, before its message', async ({
	page
}) => {
	const typing = frenchSpacing(RICH_TEXT_TYPING);
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/bilans');
	await expect(page.getByLabel('Introduction', { exact: true })).toHaveAccessibleDescription(
		typing
	);
	// The axes' texts of a bilan are typed the same way.
	const bilan = page.locator('form').filter({ has: page.getByLabel('Introduction') });
	const texts = bilan.locator('textarea:not(#intro, #change_note)');
	expect(await texts.count()).toBeGreaterThan(0);
	for (const text of await texts.all()) await expect(text).toHaveAccessibleDescription(typing);
	await expect(page.getByLabel(/^Note de correction/)).toHaveAccessibleDescription('');

	await page.goto('/admin/plan/fiches/1-1');
	await waitForHydration(page);
	const group = page.getByRole('group', { name: 'Textes de la fiche' });
	for (const label of [
		FICHE_FIELD_LABELS.context,
		FICHE_FIELD_LABELS.existing,
		FICHE_FIELD_LABELS.description,
		FICHE_FIELD_LABELS.successFactors
	])
		await expect(group.getByLabel(label, { exact: true })).toHaveAccessibleDescription(typing);
	// Refused, the field is described by the rules, then by its message.
	const context = group.getByLabel(FICHE_FIELD_LABELS.context, { exact: true });
	await context.fill('Un texte \u202e retourné');
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(page.locator('#context-error')).toContainText('caractère non autorisé');
	const message = await page.locator('#context-error').innerText();
	await expect(context).toHaveAccessibleDescription(`${typing} ${message}`);
});
