import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { APIRequestContext, Page } from '@playwright/test';
import { ACCOUNTS, loginPage, signedIn, signInThroughForm } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { expect, test } from './helpers/portal';
import { startOwnPortal } from './helpers/own-portal';
import { screenshotsAtWidths } from './helpers/screenshots';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ADDED = 'Phrase ajoutée par le classeur importé en recette.';

async function planWorkbook(request: APIRequestContext): Promise<ExcelJS.Workbook> {
	const response = await request.get('/donnees/plan.xlsx');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe(XLSX);
	const body = await response.body();
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(
		body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
	);
	return workbook;
}

async function upload(page: Page, name: string, workbook: ExcelJS.Workbook | Buffer) {
	const buffer = Buffer.isBuffer(workbook)
		? workbook
		: Buffer.from(await workbook.xlsx.writeBuffer());
	await page.getByLabel(/Classeur du plan/).setInputFiles({ name, mimeType: XLSX, buffer });
	await page.getByRole('button', { name: 'Vérifier le classeur' }).click();
}

test('the public plan.xlsx has every sheet with French headers', async ({ request }) => {
	const workbook = await planWorkbook(request);
	expect(workbook.worksheets.map((w) => w.name)).toEqual([
		'Plan',
		'Axes',
		'Orientations',
		'Objectifs',
		'Organisations',
		'Fiches',
		'Porteurs et partenaires',
		'Liens',
		'Indicateurs'
	]);
	expect(workbook.getWorksheet('Fiches')!.getRow(1).getCell(3).value).toBe('Titre');
	expect(workbook.getWorksheet('Fiches')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
});

test('an admin uploads a modified workbook, sees the changes, confirms; a visitor sees them', async ({
	page,
	request,
	browser
}, testInfo) => {
	// Four states, each checked by axe-core and photographed at two widths.
	test.setTimeout(120_000);
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/plan/import');
	await expect(
		page.getByRole('heading', { name: 'Importer le plan depuis un classeur' })
	).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (f) => testInfo.outputPath(f), 'import-plan');

	// An empty file is not taken for no file.
	await upload(page, 'vide.xlsx', Buffer.alloc(0));
	await expect(page.locator('#fichier-error')).toHaveText(
		'Le fichier « vide.xlsx » est vide (0 octet) : choisissez le classeur du plan (.xlsx).'
	);

	// A file over the server's body limit (5 MB): told under the field, the import page kept.
	await upload(page, 'lourd.xlsx', Buffer.alloc(5 * 1024 * 1024, 1));
	await expect(page.locator('#fichier-error')).toHaveText(
		'Le fichier est trop lourd : un classeur du plan en pèse au plus 400 Ko.'
	);
	await expect(page.getByRole('button', { name: 'Vérifier le classeur' })).toBeVisible();

	// A workbook that does not validate: the problems, nothing to confirm.
	const broken = await planWorkbook(request);
	broken.getWorksheet('Fiches')!.getCell('C1').value = 'Intitulé';
	await upload(page, 'casse.xlsx', broken);
	await expect(
		page.getByRole('heading', { name: 'Le classeur n’est pas valable : rien n’a été modifié' })
	).toBeVisible();
	await expect(
		page.getByText(
			'Feuille « Fiches », ligne 1, colonne « Titre » : l’en-tête de la colonne C doit être « Titre » et non « Intitulé »'
		)
	).toBeVisible();
	await expect(page.getByRole('button', { name: 'Appliquer ces modifications' })).toHaveCount(0);
	// The answer's message, written by the server as every refused form's, heads the problems.
	const summary = page.locator('[data-error-summary]');
	await expect(summary).toHaveCount(1);
	await expect(summary).toContainText('casse.xlsx');
	await expect(summary).toContainText(
		'1\u00a0problème à corriger dans le tableur, puis envoyez le classeur de nouveau.'
	);
	await expect(page).toHaveTitle(/^Erreur\u00a0: Importer le plan/);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (f) => testInfo.outputPath(f), 'import-plan-erreurs');

	// The same workbook unchanged: no change.
	await upload(page, 'plan.xlsx', await planWorkbook(request));
	await expect(
		page.getByText('Aucune modification : le classeur est identique au plan actuel.')
	).toBeVisible();

	// On a phone the answer comes into view; an edited latest value is said to be ignored.
	await page.setViewportSize({ width: 390, height: 800 });
	const latest = await planWorkbook(request);
	const indicators = latest.getWorksheet('Indicateurs')!;
	const measured = indicators
		.getRows(2, indicators.rowCount - 1)!
		.find((r) => typeof r.getCell(10).value === 'number')!;
	measured.getCell(10).value = Number(measured.getCell(10).value) + 1;
	await upload(page, 'plan-valeur.xlsx', latest);
	await expect(page.getByRole('heading', { name: 'Aucune modification' })).toBeInViewport();
	await expect(
		page.getByText(/la «\sDernière valeur\s» et sa date ne sont pas importées/)
	).toContainText(`ligne ${measured.number}`);
	await page.setViewportSize({ width: 1280, height: 900 });

	// One cell changed: the context of 2-1 gains a sentence.
	const edited = await planWorkbook(request);
	const fiches = edited.getWorksheet('Fiches')!;
	let row = 2;
	while (fiches.getRow(row).getCell(1).value !== '2-1') row++;
	const cell = fiches.getRow(row).getCell(6);
	cell.value = `${String(cell.value)}\n${ADDED}`;
	await upload(page, 'plan-modifie.xlsx', edited);
	await expect(page.getByRole('heading', { name: 'Ce que l’import changerait' })).toBeVisible();
	// The page the browser's post answers: the result's heading has the focus (it is read).
	await expect(page.getByRole('heading', { name: 'Ce que l’import changerait' })).toBeFocused();
	await expect(page.getByText('1 élément, 1 champ.')).toBeVisible();
	const change = page.getByRole('listitem').filter({ hasText: /^Fiche 2-1 — / });
	await expect(change.getByRole('heading', { level: 3 })).toHaveText(/ modifiée$/);
	await expect(change.getByRole('rowheader', { name: 'Enjeux et contexte' })).toBeVisible();
	await expect(change.getByRole('cell', { name: new RegExp(ADDED) })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (f) => testInfo.outputPath(f), 'import-plan-modifications');

	// Signed out in another tab meanwhile: the reason typed stays, with a French alert; signed in
	// again, the same confirmation is read (here, below, refused for want of a reason, then applied).
	const reason = page.getByLabel(/Raison de ces modifications/);
	await reason.fill('Écrite avant la fin de la session');
	const other = await page.context().newPage();
	await other.goto('/admin');
	await other.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(other.getByRole('link', { name: 'Connexion' })).toBeVisible();
	await page.getByRole('button', { name: 'Appliquer ces modifications' }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Votre session a pris fin' })
	).toContainText('votre saisie est conservée ci-dessous');
	await expect(reason).toHaveValue('Écrite avant la fin de la session');
	await signInThroughForm(other, ACCOUNTS.admin);
	await other.close();

	// Without a reason: refused, the list still there.
	await reason.fill('');
	await page.getByRole('button', { name: 'Appliquer ces modifications' }).click();
	// Under its field, and in the summary at the top of the page (links to the field).
	await expect(page.locator('#reason-error')).toContainText(
		'Indiquez la raison de cet import en quelques mots'
	);
	await expect(
		page.getByRole('link', { name: /Indiquez la raison de cet import en quelques mots/ })
	).toHaveAttribute('href', '#reason');
	await expect(page.getByRole('heading', { name: 'Ce que l’import changerait' })).toBeVisible();
	// The confirmation is drawn anew with the answer: the refused field still takes the focus.
	await expect(reason).toBeFocused();
	await expect(reason).toHaveAccessibleDescription(/Indiquez la raison de cet import/);
	await expectNoAxeViolations(page);

	await page
		.getByLabel(/Raison de ces modifications/)
		.fill('Contexte complété en comité technique');
	await page.getByRole('button', { name: 'Appliquer ces modifications' }).click();
	await expect(page).toHaveURL(/\/admin\/plan\/import\?importe=1$/);
	await expect(page.getByRole('status')).toContainText('Import appliqué : 1 élément enregistré');
	await expectNoAxeViolations(page);

	const visitor = await browser.newContext();
	const public_ = await visitor.newPage();
	await public_.goto('/fiches/2-1');
	// In the fiche's text, and in its public list of modifications (before → after, with the reason).
	await expect(public_.getByText(ADDED, { exact: true })).toBeVisible();
	await expect(public_.getByRole('cell', { name: new RegExp(ADDED) })).toBeVisible();
	await visitor.close();
	// The public workbook follows the plan.
	const after = (await planWorkbook(request)).getWorksheet('Fiches')!;
	expect(String(after.getRow(row).getCell(6).value)).toContain(ADDED);
});

test('without script, a refused confirmation opens at the top on what was refused', async ({
	browser,
	request
}) => {
	const { context, page } = await signedIn(browser, ACCOUNTS.admin, { javaScriptEnabled: false });
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/admin/plan/import');
	const edited = await planWorkbook(request);
	const fiches = edited.getWorksheet('Fiches')!;
	let row = 2;
	while (fiches.getRow(row).getCell(1).value !== '3-1') row++;
	const cell = fiches.getRow(row).getCell(6);
	cell.value = `${String(cell.value)}\nPhrase jamais appliquée.`;
	await upload(page, 'plan-sans-raison.xlsx', edited);
	await page.getByRole('button', { name: 'Appliquer ces modifications' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'Rien n’a été enregistré' });
	await expect(summary).toBeInViewport();
	await expect(
		summary.getByRole('link', { name: /Indiquez la raison de cet import/ })
	).toHaveAttribute('href', '#reason');
	await context.close();
});

test('an indicator the workbook adds, then leaves out, is a change of its fiche in its public history', async ({
	page,
	request,
	browser
}) => {
	test.setTimeout(120_000);
	await loginPage(page, ACCOUNTS.admin);
	const importing = async (workbook: ExcelJS.Workbook, reason: string) => {
		await page.goto('/admin/plan/import');
		await upload(page, 'plan-indicateur.xlsx', workbook);
		await page.getByLabel(/Raison de ces modifications/).fill(reason);
		await page.getByRole('button', { name: 'Appliquer ces modifications' }).click();
		await expect(page).toHaveURL(/\/admin\/plan\/import\?importe=1$/);
	};
	// A row added to « Indicateurs », and a sub-bullet to the fiche's context.
	const added = await planWorkbook(request);
	const indicators = added.getWorksheet('Indicateurs')!;
	const n =
		indicators
			.getRows(2, indicators.rowCount - 1)!
			.filter((r) => r.getCell(1).value === '1-1')
			.reduce((max, r) => Math.max(max, Number(r.getCell(2).value)), 0) + 1;
	indicators.addRow([
		'1-1',
		n,
		'Nombre d’élus formés',
		'élus',
		'Nombre',
		200,
		new Date('2028-12-31T00:00:00Z'),
		0,
		new Date('2024-01-01T00:00:00Z')
	]);
	const fiches = added.getWorksheet('Fiches')!;
	let row = 2;
	while (fiches.getRow(row).getCell(1).value !== '1-1') row++;
	const context = fiches.getRow(row).getCell(6);
	context.value = `${String(context.value)}\n\n- puce un\n  - sous-puce`;
	await importing(added, 'Indicateur voté en comité');

	const visitor = await (await browser.newContext()).newPage();
	await visitor.goto('/fiches/1-1/modifications');
	const titles = visitor.getByRole('heading', { level: 2 }).filter({ hasText: /^\d/ });
	// Saved within one second of each other (test set-up then import), they are told apart by their
	// number (RevisionList); a minute or a second apart, by their time.
	const modified = /—\s+Fiche modifiée(\s+\(révision n°\s\d+\))?$/;
	await expect(titles).toHaveText([modified, modified]);
	await expect(visitor.getByRole('rowheader', { name: 'Nouvel indicateur' })).toBeVisible();
	await expect(visitor.getByRole('cell', { name: /^Nombre d’élus formés/ })).toBeVisible();
	// The sub-bullet keeps its place under its bullet, as on the fiche's page.
	const after = visitor.getByRole('cell', { name: /sous-puce/ });
	expect(await after.evaluate((cell) => (cell as HTMLElement).innerText)).toContain(
		'- puce un\n  - sous-puce'
	);

	// Its row left out: retired, said as the form says it.
	const without = await planWorkbook(request);
	const sheet = without.getWorksheet('Indicateurs')!;
	for (let r = sheet.rowCount; r >= 2; r--)
		if (sheet.getRow(r).getCell(1).value === '1-1' && sheet.getRow(r).getCell(2).value === n)
			sheet.spliceRows(r, 1);
	await importing(without, 'Indicateur abandonné en comité');
	await visitor.goto('/fiches/1-1');
	const list = visitor.getByRole('region', { name: 'Modifications de la fiche' });
	await expect(list.getByRole('heading', { level: 3 }).first()).toHaveText(/—\s+Fiche modifiée$/);
	await expect(list).not.toContainText('Fiche abandonnée');
	await expect(list).not.toContainText('Fiche ajoutée');
	await expect(
		list.getByRole('rowheader', { name: 'Indicateur « Nombre d’élus formés » : état' })
	).toBeVisible();
	await visitor.context().close();
});

test('an empty database started with PLAN_FILE serves the fictitious territory’s plan', async () => {
	const portal = await startOwnPortal({ PLAN_FILE: 'tests/fixtures/plan-exemple.xlsx' });
	try {
		const list = await (await fetch(`${portal.url}/fiches`)).text();
		expect(list).toContain('Guichet unique des démarches brumoises');
		expect(list).toContain('Conseillers numériques itinérants');
		expect(list).not.toContain('Accompagnement des élus aux enjeux du numérique');
		const home = await (await fetch(`${portal.url}/`)).text();
		expect(home).toContain('Val-de-Brume');
	} finally {
		portal.child.kill('SIGTERM');
		await portal.exited;
	}
});

test('PLAN_FILE naming a missing file stops the start with a French sentence', async () => {
	const failure = await startOwnPortal({ PLAN_FILE: 'tests/fixtures/absent.xlsx' }).then(
		() => 'démarré',
		(error: Error) => error.message
	);
	expect(failure).toContain('PLAN_FILE vaut « tests/fixtures/absent.xlsx », fichier introuvable');
});

test('a PLAN_FILE that is not a workbook stops the start and leaves no pid file', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'sdusn-plan-'));
	const file = join(dir, 'plan.xlsx');
	writeFileSync(file, 'code;titre\n1-1;Titre\n');
	const failure = await startOwnPortal({ PLAN_FILE: file }).then(
		() => 'démarré',
		(error: Error) => error.message
	);
	expect(failure).toContain('n’est pas un classeur Excel');
	const database = /Base de données : (\S+)/.exec(failure)?.[1];
	expect(database).toBeDefined();
	expect(existsSync(`${database}.serveur.pid`)).toBe(false);
	rmSync(dir, { recursive: true, force: true });
});
