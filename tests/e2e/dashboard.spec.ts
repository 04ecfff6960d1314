import type { Browser, Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs, loginPage, signInThroughForm } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshot } from './helpers/screenshots';
import { waitForHydration } from './helpers/hydration';

/** Records Content-Security-Policy violations raised in the page (Chart.js included). */
async function watchCsp(page: Page): Promise<string[]> {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`)
		);
	});
	return violations;
}

async function expectChartsDrawn(page: Page) {
	const canvases = page.locator('canvas[role="img"]');
	expect(await canvases.count()).toBeGreaterThan(4);
	await expect(page.locator('canvas:not([data-drawn])')).toHaveCount(0);
	for (const label of await canvases.evaluateAll((els) =>
		els.map((e) => e.getAttribute('aria-label') ?? '')
	))
		expect(label.length).toBeGreaterThan(10);
}

test('the live dashboard draws its charts, with tables, CSV and no CSP violation', async ({
	page
}, testInfo) => {
	const violations = await watchCsp(page);
	await page.goto('/tableau-de-bord');
	await expect(page.locator('h1')).toHaveText('Tableau de bord');
	await expectChartsDrawn(page);
	const figure = page.getByRole('figure', { name: /Avancement par axe/ });
	await expect(figure.getByRole('table')).toContainText(
		'« modernité » : Développement de l’innovation'
	);
	// A column of numbers has its heading over them, on the right.
	const countHeading = page
		.getByRole('figure', { name: /^Fiches par statut et par priorité/ })
		.getByRole('columnheader', { name: 'Priorité 1' });
	await expect(countHeading).toHaveCSS('text-align', 'right');
	await expect(
		page.getByText('Règle de calcul : l’avancement moyen ne porte que sur les fiches')
	).toBeVisible();
	await expect(
		page.getByRole('list', { name: 'Les fiches et leur statut' }).getByRole('listitem')
	).toHaveCount(23);
	expect(violations).toEqual([]);
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('tableau-de-bord.png'));

	const csv = await page.request.get('/tableau-de-bord/statuts-priorites.csv');
	expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
	expect((await csv.text()).split('\r\n')[0]).toBe('statut,priorite_1,priorite_2');
});

test('the dashboard reads without JavaScript: the tables carry the figures', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/tableau-de-bord');
	await expect(
		page.getByRole('figure', { name: /Mises à jour validées par trimestre/ }).getByRole('table')
	).toContainText('3e trimestre 2018');
	// A group's label is shown, not its code as the CSV holds it (« performance », « politique-donnee »).
	const orientations = page
		.getByRole('figure', { name: /Avancement par orientation/ })
		.getByRole('table');
	await expect(orientations.getByRole('columnheader', { name: 'Code' })).toHaveCount(0);
	await expect(orientations.getByRole('cell', { name: 'politique-donnee' })).toHaveCount(0);
	await expect(orientations).toContainText('Orientation');
	await context.close();
});

test('the 2018 edition is published: its page draws its charts, its plan.json is frozen', async ({
	page
}, testInfo) => {
	const violations = await watchCsp(page);
	await page.goto('/bilans');
	await page.getByRole('link', { name: 'Bilan 2018' }).click();
	await expect(page.locator('h1')).toHaveText(
		'Bilan 2018 du schéma des usages et services numériques'
	);
	await expectChartsDrawn(page);
	await expect(page.getByRole('heading', { level: 2, name: /Axe « modernité »/ })).toBeVisible();
	await expect(page.getByText('C’est le premier bilan publié.')).toBeVisible();
	expect(violations).toEqual([]);
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('bilan-2018.png'));

	const plan = await (await page.request.get('/bilans/2018/plan.json')).json();
	expect(plan).toMatchObject({
		schema: 'sdusn/plan@2',
		as_of: '2018-12-31',
		edition: { year: 2018, version: 1 }
	});

	// Printed to PDF by npm run report: tests/e2e/report.spec.ts.
});

/** An admin signed in, in a context of their own, on the editions' page. */
async function adminOnEditions(browser: Browser) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/bilans');
	// The form's script must be there before typing: the date of arrest follows the year typed.
	await waitForHydration(page);
	return { context, page };
}

test('an admin prepares, previews and publishes the 2019 edition, which later validations leave unchanged', async ({
	browser
}, testInfo) => {
	const { context, page } = await adminOnEditions(browser);
	// Another admin's page, open before the draft exists (its list shows no 2019 draft yet).
	const other = await adminOnEditions(browser);
	await expectNoAxeViolations(page);
	await page.getByLabel('Année').fill('deux mille dix-neuf');
	await page.getByLabel(/Chiffres arrêtés au/).fill('2020-01-15');
	await page.getByLabel('Introduction').fill('Une année de lancement.');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	// Under the field (and in the summary at the top).
	await expect(page.locator('#year-error')).toHaveText(
		'L’année s’écrit sur quatre chiffres (exemple : 2019).'
	);
	await expect(page.getByLabel('Introduction')).toHaveValue('Une année de lancement.');
	await page.getByLabel('Année').fill('2019');
	// A date someone chose does not follow the year.
	await expect(page.getByLabel(/Chiffres arrêtés au/)).toHaveValue('2020-01-15');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect(page.locator('#as_of-error')).toHaveText(
		'La date d’arrêté doit tomber dans l’année du bilan, entre le 1er\u00a0janvier\u00a02019 et le 31\u00a0décembre\u00a02019.'
	);
	await page.getByLabel(/Chiffres arrêtés au/).fill('2019-12-31');
	await page.getByLabel('Texte de l’axe « modernité »').fill('Le WIFI public se déploie.');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect(page.getByText('Aperçu du brouillon')).toBeVisible();
	// Saved: said on the preview, focused, where a screen reader reads it at once.
	await expect(
		page.getByRole('status').filter({ hasText: 'Brouillon du bilan 2019 enregistré.' })
	).toBeFocused();
	// A draft's figures are published nowhere yet: no link to download them.
	await expect(page.locator('main p.csv')).toHaveCount(0);
	// A draft is not « publiée le … », and no date is written the ISO way.
	const cover = page.locator('.cover .cover-facts');
	await expect(cover).toContainText('31 décembre 2019');
	await expect(cover).toContainText('brouillon de la version 1, pas encore publié');
	await expect(cover).not.toContainText('Publié le');
	await expect(page.locator('main')).not.toContainText('publiée le');
	expect(await page.locator('main').innerText()).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
	const anonymous = await apiAs(null);
	expect((await anonymous.get('/bilans/2019', { maxRedirects: 0 })).status()).toBe(404);

	// The draft's texts are corrected from the form that shows them; a blank form sent for the same
	// year meanwhile (another admin) replaces nothing unseen, and keeps its typing.
	const draftUrl = page.url();
	await page.getByRole('link', { name: 'Modifier les textes du brouillon' }).click();
	await expect(
		page.getByRole('heading', { name: 'Modifier le brouillon du bilan 2019' })
	).toBeVisible();
	await expect(page.getByLabel('Introduction')).toHaveValue('Une année de lancement.');
	await expect(page.getByLabel('Texte de l’axe « modernité »')).toHaveValue(
		'Le WIFI public se déploie.'
	);
	await other.page.getByLabel('Année').fill('2019');
	await other.page.getByLabel('Introduction').fill('Une autre introduction.');
	await other.page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	const refused = other.page.getByRole('alert');
	await expect(refused).toContainText('Un brouillon du bilan 2019 existe déjà');
	// Nothing refused in a field: the focus goes to the alert, above the form's button.
	await expect(refused).toBeFocused();
	await expect(refused.getByRole('columnheader', { name: 'Votre saisie' })).toBeVisible();
	await expect(other.page.getByLabel('Année')).toHaveAttribute('readonly', '');
	await expect(refused.getByRole('row', { name: /Texte de l’axe « modernité »/ })).toContainText(
		'Le WIFI public se déploie.'
	);
	await expect(other.page.getByLabel('Introduction')).toHaveValue('Une autre introduction.');
	// The refusal sends to « modifier » in the list: the list, read again, offers it.
	await expect(
		other.page.getByRole('link', { name: 'Modifier le brouillon du bilan 2019' })
	).toBeVisible();
	await expectNoAxeViolations(other.page);
	await other.context.close();
	await page.getByLabel('Texte de l’axe « solidarité »').fill('Les premiers tiers-lieux ouvrent.');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect(page).toHaveURL(draftUrl);
	await expect(page.getByText('Les premiers tiers-lieux ouvrent.')).toBeVisible();

	// Publishing asks first, saying what will be frozen; a post without that step publishes nothing.
	const admin0 = await apiAs(ACCOUNTS.admin);
	const draftPath = new URL(page.url()).pathname;
	const direct = await admin0.post(`${draftPath}?/publish`, { form: {}, maxRedirects: 0 });
	expect(direct.status()).toBe(303);
	expect(direct.headers().location).toBe(`${draftPath}/publication`);
	expect((await anonymous.get('/bilans/2019', { maxRedirects: 0 })).status()).toBe(404);
	await admin0.dispose();
	await page.getByRole('link', { name: 'Publier le bilan 2019…' }).click();
	await expect(page.locator('h1')).toHaveText('Publier le bilan 2019 (version 1) ?');
	await expect(page.getByText('chiffres arrêtés au 31 décembre 2019')).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('publication-1280.png'));
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, testInfo.outputPath('publication-390.png'));
	await page.setViewportSize({ width: 1280, height: 720 });
	// The same confirmation open in a second tab, as another admin might have it.
	const publicationUrl = page.url();
	// A link crafted with ?relire=1 says no refusal: only a refused publication leads there
	// (refusedBack), not the address alone.
	const crafted = await context.newPage();
	await crafted.goto(`${draftPath}/publication?relire=1`);
	await expect(crafted.getByText('Le bilan n’a pas été publié')).toHaveCount(0);
	await expect(crafted).not.toHaveTitle(/^Erreur/);
	await expect(crafted.getByText('Relisez l’aperçu avant de publier')).toBeVisible();
	await crafted.close();
	const secondTab = await context.newPage();
	await secondTab.goto(publicationUrl);
	// The draft saved again in another tab after the confirmation was read is not published
	// unseen: the confirmation says so, and publishes the draft as it is once confirmed again.
	const editor = await context.newPage();
	await editor.goto(draftUrl);
	await editor.getByRole('link', { name: 'Modifier les textes du brouillon' }).click();
	await editor
		.getByLabel('Texte de l’axe « solidarité »')
		.fill('Les premiers tiers-lieux ouvrent leurs portes.');
	await editor.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect(editor).toHaveURL(draftUrl);
	await editor.close();
	await page.getByRole('button', { name: 'Publier définitivement le bilan 2019' }).click();
	await expect(page.getByRole('alert')).toContainText('Le bilan n’a pas été publié');
	await expect(page).toHaveURL(/\/publication\?relire=1$/);
	await expect((await anonymous.get('/bilans/2019', { maxRedirects: 0 })).status()).toBe(404);
	// No button there: the preview is read again, and published from it.
	await expect(
		page.getByRole('button', { name: 'Publier définitivement le bilan 2019' })
	).toHaveCount(0);
	await page.getByRole('link', { name: 'Relire l’aperçu' }).click();
	await expect(page.getByText('Les premiers tiers-lieux ouvrent leurs portes.')).toBeVisible();
	await page.getByRole('link', { name: 'Publier le bilan 2019…' }).click();
	await page.getByRole('button', { name: 'Publier définitivement le bilan 2019' }).click();
	await expect(page).toHaveURL(/\/bilans\/2019#publie$/);
	// Published: said above the bilan, focused.
	await expect(page.getByRole('status').filter({ hasText: 'Bilan 2019 publié.' })).toBeFocused();
	await expect(page.getByText('Le WIFI public se déploie.')).toBeVisible();
	await expect(page.getByText('Les premiers tiers-lieux ouvrent leurs portes.')).toBeVisible();
	// Publishing again from the second tab says so above the bilan as published; the confirmation
	// page opened again (reloaded, or gone back to) leads to that bilan instead of an error page.
	await secondTab.getByRole('button', { name: 'Publier définitivement le bilan 2019' }).click();
	await expect(secondTab.getByRole('alert')).toHaveText(
		'Ce bilan a déjà été publié (dans un autre onglet ou par un autre administrateur) : le voici tel que publié.'
	);
	await expect(secondTab.locator('main')).toContainText('Le WIFI public se déploie.');
	await secondTab.goto(publicationUrl);
	await expect(secondTab).toHaveURL(publicationUrl.replace(/\/publication\?.*$/, ''));
	await expect(secondTab.locator('main')).toContainText('Le WIFI public se déploie.');
	await secondTab.close();
	await screenshot(page, testInfo.outputPath('bilan-2019.png'));

	const before = await (await anonymous.get('/bilans/2019/plan.json')).text();
	const partner = await apiAs(ACCOUNTS.partner);
	await partner.post('/espace/fiches/6-1/suivi', {
		form: {
			reported_on: '2019-06-01',
			status: 'realisee',
			progress: '100',
			done: 'Rétroactif',
			next_steps: '',
			difficulties: '',
			submission_key: 'bilan-fige',
			version: '',
			intent: 'submit'
		},
		maxRedirects: 0
	});
	const admin = await apiAs(ACCOUNTS.admin);
	const queue = await (await admin.get('/admin/suivis')).text();
	const id = [...queue.matchAll(/\/admin\/suivis\/(\d+)/g)]
		.map((m) => Number(m[1]))
		.sort((a, b) => b - a)[0];
	await admin.post(`/admin/suivis/${id}?/valider`, { form: { version: '1' }, maxRedirects: 0 });
	expect(
		(await (await anonymous.get('/donnees/plan.json')).json()).fiches.find(
			(f: { code: string }) => f.code === '6-1'
		).status
	).toBe('realisee');
	expect(await (await anonymous.get('/bilans/2019/plan.json')).text()).toBe(before);
	for (const client of [anonymous, partner, admin]) await client.dispose();
	await context.close();
});

test('a published edition is corrected as a version 2 from its texts: the note is asked for, visitors read version 2, version 1 stays as published', async ({
	browser
}, testInfo) => {
	const { context, page } = await adminOnEditions(browser);
	// « corriger » beside the published 2019 opens the form on its texts, the year fixed.
	await page.getByRole('link', { name: 'Corriger le bilan 2019 (nouvelle version)' }).click();
	await expect(page).toHaveURL(/\/admin\/bilans\?corriger=\d+#preparer$/);
	await expect(page.locator('h2#preparer')).toHaveText('Corriger le bilan 2019 (nouvelle version)');
	await waitForHydration(page);
	await expect(page.getByLabel('Année')).toHaveValue('2019');
	await expect(page.getByLabel('Année')).toHaveAttribute('readonly', '');
	await expect(page.getByLabel(/Chiffres arrêtés au/)).toHaveValue('2019-12-31');
	await expect(page.getByLabel('Introduction')).toHaveValue('Une année de lancement.');
	await expect(page.getByLabel('Texte de l’axe « modernité »')).toHaveValue(
		'Le WIFI public se déploie.'
	);
	await expect(page.getByLabel('Texte de l’axe « solidarité »')).toHaveValue(
		'Les premiers tiers-lieux ouvrent leurs portes.'
	);
	await page.getByLabel('Introduction').fill('Une année de lancement, chiffres corrigés.');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	const noteAsked =
		'Le bilan 2019 est déjà publié : une correction en fait une nouvelle version, dites ce qui change (note de correction).';
	await expect(page.getByLabel('Note de correction')).toHaveAccessibleDescription(
		new RegExp(noteAsked.replace(/[.()]/g, '\\$&').replaceAll(' ', '\\s'))
	);
	await expect(page.getByLabel('Introduction')).toHaveValue(
		'Une année de lancement, chiffres corrigés.'
	);
	await expect(page.getByLabel('Texte de l’axe « modernité »')).toHaveValue(
		'Le WIFI public se déploie.'
	);
	await screenshot(page, testInfo.outputPath('note-de-correction-demandee.png'), {
		fullPage: false
	});
	await page.getByLabel('Note de correction').fill('La fiche 6-1, réalisée en juin, est comptée.');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect(page.locator('.cover .cover-facts')).toContainText(
		'brouillon de la version 2, pas encore publié'
	);
	// The published axis texts are in version 2's draft.
	await expect(page.getByText('Le WIFI public se déploie.')).toBeVisible();
	await expect(page.getByText('Les premiers tiers-lieux ouvrent leurs portes.')).toBeVisible();
	await page.getByRole('link', { name: 'Publier le bilan 2019…' }).click();
	await expect(page.locator('h1')).toHaveText('Publier le bilan 2019 (version 2) ?');
	await page.getByRole('button', { name: 'Publier définitivement le bilan 2019' }).click();
	await expect(page).toHaveURL(/\/bilans\/2019#publie$/);
	await context.close();

	// A visitor reads version 2, with its note and the list of versions; version 1 is unchanged.
	const visitor = await browser.newContext();
	const reader = await visitor.newPage();
	await reader.goto('/bilans/2019');
	await expect(reader).toHaveTitle(/^Bilan 2019 \(version 2\)/);
	await expect(reader.getByText('Une année de lancement, chiffres corrigés.')).toBeVisible();
	await expect(reader.getByText('Le WIFI public se déploie.')).toBeVisible();
	await expect(
		reader.getByText(
			'Correction par rapport à la version précédente : La fiche 6-1, réalisée en juin, est comptée.'
		)
	).toBeVisible();
	await expect(reader.getByText(/^Versions\s:/)).toHaveText(
		/^Versions\s:\sversion 2 du \d{1,2}(er)?\s[a-zéû]+\s\d{4}, version 1 du \d{1,2}(er)?\s[a-zéû]+\s\d{4}$/
	);
	await expect(reader.getByRole('link', { name: 'version 2', exact: true })).toHaveAttribute(
		'aria-current',
		'page'
	);
	await expectNoAxeViolations(reader);
	// The top of the page, where the versions and the note are.
	for (const width of [1280, 390]) {
		await reader.setViewportSize({ width, height: 900 });
		await screenshot(reader, testInfo.outputPath(`bilan-2019-version-2-${width}.png`), {
			fullPage: false
		});
	}
	await reader.getByRole('link', { name: 'version 1', exact: true }).click();
	await expect(reader).toHaveURL(/\/bilans\/2019\?version=1$/);
	await expect(reader.getByText('Une année de lancement.', { exact: true })).toBeVisible();
	await expect(reader.getByText('Correction par rapport à la version précédente')).toHaveCount(0);
	// Printed, the notice « Cette version a été remplacée… » gives its link's address (review s44).
	const latest = reader.getByRole('link', {
		name: /^Lire la version la plus récente du bilan 2019/
	});
	const printedAfter = () => latest.evaluate((a) => getComputedStyle(a, '::after').content);
	expect(await printedAfter()).toBe('none');
	await reader.emulateMedia({ media: 'print' });
	// This portal has no ORIGIN: the path, said to be the portal's (never the Host a request claims).
	expect(await printedAfter()).toBe('"\u202f: /bilans/2019 sur le portail"');
	await reader.emulateMedia({ media: 'screen' });
	// Version 1's figures are downloaded as version 1 froze them, not as the latest version.
	const gridCsv = reader.getByRole('link', { name: 'CSV : les fiches par statut' });
	await expect(gridCsv).toHaveAttribute('href', '/bilans/2019/grille-fiches.csv?version=1');
	const visitorApi = await apiAs(null);
	const gridOf = async (path: string) => (await visitorApi.get(path)).text();
	expect(await gridOf('/bilans/2019/grille-fiches.csv?version=1')).not.toBe(
		await gridOf('/bilans/2019/grille-fiches.csv')
	);
	// Saved side by side, the two versions' files keep apart by their names.
	const fileName = async (path: string) =>
		(await visitorApi.get(path)).headers()['content-disposition'];
	expect(await fileName('/bilans/2019/grille-fiches.csv?version=1')).toBe(
		'attachment; filename="bilan-2019-version-1-grille-fiches.csv"'
	);
	expect(await fileName('/bilans/2019/grille-fiches.xlsx')).toContain(
		'filename="bilan-2019-version-2-grille-fiches.xlsx"'
	);
	await visitorApi.dispose();
	await visitor.close();

	// The update validated after version 1 (the test above) is in version 2's data only.
	const anonymous = await apiAs(null);
	const statusOf6_1 = async (path: string) =>
		(await (await anonymous.get(path)).json()).fiches.find(
			(f: { code: string }) => f.code === '6-1'
		).status;
	expect(await statusOf6_1('/bilans/2019/plan.json')).toBe('realisee');
	expect(await statusOf6_1('/bilans/2019/plan.json?version=2')).toBe('realisee');
	expect(await statusOf6_1('/bilans/2019/plan.json?version=1')).not.toBe('realisee');
	await anonymous.dispose();
});

test('signed out in another tab, an edition’s texts stay as typed with a French alert; signed in again, the form is read', async ({
	browser
}) => {
	const { context, page } = await adminOnEditions(browser);
	await page.getByLabel('Année').fill('20x9');
	await page.getByLabel('Introduction').fill('Écrite avant la fin de la session.');
	const other = await context.newPage();
	await other.goto('/admin');
	await other.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(other.getByRole('link', { name: 'Connexion' })).toBeVisible();

	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText(
		'Votre session a pris fin (déconnexion, ou délai dépassé) : rien n’a été enregistré et votre saisie est conservée ci-dessous.'
	);
	await expect(
		alert.getByRole('link', { name: 'Se connecter dans un nouvel onglet' })
	).toHaveAttribute('href', '/connexion');
	await expect(page).toHaveURL(/\/admin\/bilans$/);
	await expect(page.getByLabel('Introduction')).toHaveValue('Écrite avant la fin de la session.');
	await expectNoAxeViolations(page);

	// Signed in again: the same form reaches the action, which reads it (here: refuses the year).
	await signInThroughForm(other, ACCOUNTS.admin);
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	// Under the field (and in the summary at the top).
	await expect(page.locator('#year-error')).toHaveText(
		'L’année s’écrit sur quatre chiffres (exemple : 2019).'
	);
	await expect(page.getByRole('alert').filter({ hasText: 'Votre session a pris fin' })).toHaveCount(
		0
	);
	await expect(page.getByLabel('Introduction')).toHaveValue('Écrite avant la fin de la session.');
	await context.close();
});
