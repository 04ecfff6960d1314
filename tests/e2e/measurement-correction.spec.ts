import type { Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs, loginPage, portalDatabase } from './helpers/accounts';
import { createAccount } from './helpers/own-portal';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshotsAtWidths } from './helpers/screenshots';
import { waitForHydration } from './helpers/hydration';

const DAY = '1er\u00a0octobre\u00a02026';

/** The partner's form of 9-1 filled with a value of its indicator on 1 October 2026. */
async function fillUpdate(page: Page, value: string) {
	await page.goto('/espace/fiches/9-1/suivi');
	await waitForHydration(page);
	await page.getByLabel('Date de la mise à jour').fill('2026-10-05');
	await page.getByLabel('Statut de la fiche').selectOption('en_cours');
	await page.getByLabel(/Avancement en %/).fill('40');
	await page.getByLabel('Ce qui a été fait').fill('Correction du nombre de territoires.');
	await page.getByLabel('Date de la mesure').fill('2026-10-01');
	await page.getByLabel('Valeur').fill(value);
}

/** Staff validate update `id` from its page. */
async function validate(admin: Page, id: string) {
	await admin.goto(`/admin/suivis/${id}`);
	await admin.getByRole('button', { name: 'Valider et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('validée et publiée');
}

const submittedId = (page: Page) => /soumis=(\d+)/.exec(page.url())?.[1] ?? '';

test('a value sent for a day that has one is shown as a correction, and replaces it once validated', async ({
	browser
}, testInfo) => {
	test.setTimeout(90_000);
	const page = await (await browser.newContext()).newPage();
	await loginPage(page, ACCOUNTS.partner);
	const admin = await (await browser.newContext()).newPage();
	await loginPage(admin, ACCOUNTS.admin);

	await fillUpdate(page, '3');
	await page.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(page).toHaveURL(/\/espace\?soumis=\d+$/);
	const first = submittedId(page);
	await validate(admin, first);

	// The form shows the last published value, and says that the day typed has one.
	await fillUpdate(page, '4');
	const line = page.getByRole('group', { name: /Gain d’efficacité/ });
	await expect(line).toContainText(new RegExp(`Dernière valeur publiée\\s*:\\s*3 au ${DAY}`));
	const notice = `Une valeur est déjà publiée au ${DAY}\u00a0: 3. Validée, la valeur saisie la remplacera.`;
	await expect(line).toContainText(notice);
	await page.getByLabel('Date de la mesure').fill('2026-10-02');
	await expect(line).not.toContainText('Une valeur est déjà publiée');
	await page.getByLabel('Date de la mesure').fill('2026-10-01');
	// Said by the server too: the draft saved, the page drawn again.
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(page).toHaveURL(/brouillon=\d+&enregistre=1/);
	const drawn = await (await page.request.get(page.url())).text();
	expect(drawn).toContain('Validée, la valeur saisie la remplacera.');
	await expect(line).toContainText(notice);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, testInfo.outputPath.bind(testInfo), 'suivi-remplace');
	await page.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(page).toHaveURL(/\/espace\?soumis=\d+$/);
	const correction = submittedId(page);

	// The validation page names the value replaced.
	await admin.goto(`/admin/suivis/${correction}`);
	await expect(admin.getByRole('listitem').filter({ hasText: 'Gain d’efficacité' })).toContainText(
		new RegExp(`4 au ${DAY}, remplace 3 publié le \\d`)
	);
	await expectNoAxeViolations(admin);
	await screenshotsAtWidths(admin, testInfo.outputPath.bind(testInfo), 'validation-remplace');
	await validate(admin, correction);

	// Published: one value that day, everywhere.
	const anonymous = await apiAs(null);
	const rows = (await (await anonymous.get('/donnees/mesures.csv')).text())
		.split('\n')
		.filter((row) => row.startsWith('9-1,') && row.includes(',2026-10-01,'));
	expect(rows).toEqual([expect.stringMatching(/,2026-10-01,4$/)]);
	await page.goto('/fiches/9-1');
	await expect(page.getByRole('cell', { name: DAY, exact: true })).toHaveCount(1);

	// The older update's own page still shows its value, as replaced, linked to the correction.
	const replaced = new RegExp(
		`3\\sau\\s1er\\soctobre\\s2026\\s—\\sremplacée\\sle\\s\\d.*2026\\spar\\s4\\s\\(mise\\sà\\sjour\\sn°\\s${correction}\\)`
	);
	for (const [viewer, path] of [
		[admin, '/admin/suivis/'],
		[page, '/espace/suivis/']
	] as const) {
		await viewer.goto(`${path}${first}`);
		const item = viewer.getByRole('listitem').filter({ hasText: 'Gain d’efficacité' });
		await expect(item).toContainText(replaced);
		await expect(
			item.getByRole('link', { name: `mise à jour n°\u00a0${correction}` })
		).toHaveAttribute('href', `${path}${correction}`);
	}
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, testInfo.outputPath.bind(testInfo), 'suivi-valeur-remplacee');

	// Another organisation of 9-1 is told whose published value its own would replace.
	const sdail = {
		email: 'sam.sdail@sdail.test',
		name: 'Sam Sdail',
		role: 'partenaire',
		organisation: 'sdail',
		password: 'le viaduc de souillac sous la pluie'
	} as const;
	createAccount(await portalDatabase(), sdail);
	const other = await (await browser.newContext()).newPage();
	await loginPage(other, sdail);
	await fillUpdate(other, '5');
	await expect(other.getByRole('group', { name: /Gain d’efficacité/ })).toContainText(
		`Une valeur est déjà publiée par CDG46 au ${DAY}\u00a0: 4. Validée, la valeur saisie la remplacera.`
	);
	await screenshotsAtWidths(other, testInfo.outputPath.bind(testInfo), 'suivi-remplace-autre');
});
