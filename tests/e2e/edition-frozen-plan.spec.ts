import SQLite from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './helpers/axe';
import { createAccount, startOwnPortal, type OwnPortal } from './helpers/own-portal';
import { screenshot } from './helpers/screenshots';
import { waitForHydration } from './helpers/hydration';

// A published edition keeps the plan as it stood at its publication (#16): the 2018 edition,
// published at first start, still shows 17-1 as it was after an admin edits it. A portal of its
// own: the rest of the suite keeps the plan as the seed loads it.
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const ADMIN = {
	email: 'bea.bilan@lot-numerique.test',
	name: 'Béa Bilan',
	role: 'admin' as const,
	password: 'les bilans gardent le plan de leur date'
};
const OLD_TITLE = 'Mise en place d’outils numériques favorisant la mobilité';
const NEW_TITLE = 'Un calculateur d’itinéraires pour tout le Lot';
const OLD_INDICATOR =
	'Nombre de consultations, d’utilisateurs et fréquence d’utilisation de l’outil';
const NEW_INDICATOR = 'Nombre d’itinéraires calculés';

let portal: OwnPortal;

test.beforeAll(async () => {
	portal = await startOwnPortal();
	createAccount(portal.databasePath, ADMIN);
});
test.afterAll(async () => {
	portal.child.kill('SIGTERM');
	await portal.exited;
});

/** The line of fiche 17-1 in an edition's list of fiches. */
const ficheBlock = (page: Page) =>
	page
		.locator('.fiche-list li')
		.filter({ has: page.locator('a[href="/bilans/2018/fiches/17-1?version=1"]') });

test('the 2018 edition keeps 17-1’s title, owners and indicator after an admin edits them', async ({
	browser
}) => {
	const admin = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await admin.goto(`${portal.url}/connexion`);
	await waitForHydration(admin);
	await admin.getByLabel('Adresse électronique').fill(ADMIN.email);
	await admin.getByLabel('Mot de passe').fill(ADMIN.password);
	await admin.getByRole('button', { name: 'Se connecter' }).click();
	await expect(admin.getByRole('link', { name: ADMIN.name })).toBeVisible();

	await admin.goto(`${portal.url}/admin/plan/fiches/17-1`);
	await admin.locator('#title').fill(NEW_TITLE);
	await admin.locator('#owner_0_org').selectOption({ label: 'Département du Lot' });
	await admin.locator('#owner_0_scope').fill('Pilotage');
	await admin.locator('#ind_0_label').fill(NEW_INDICATOR);
	await admin.locator('#ind_0_target').fill('5000');
	await admin.locator('#reason').fill('Fiche revue après le bilan 2018');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modifications enregistrées');

	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/fiches/17-1`);
	await expect(visitor.getByRole('heading', { level: 1 })).toContainText(NEW_TITLE);
	await expect(visitor.getByText('Département du Lot').first()).toBeVisible();

	await visitor.goto(`${portal.url}/bilans/2018`);
	const block = ficheBlock(visitor);
	await expect(block.getByRole('link')).toHaveText(`17-1 — ${OLD_TITLE}`);
	await expect(block).toContainText(/Priorité \d — .+ — avancement /);
	await expect(block).toContainText(
		/mises?\s+à\s+jour\s+de\s+l’année\s+publiées?\s+au\s+31\s+décembre\s+2018/
	);
	await expect(visitor.locator('main')).not.toContainText(NEW_TITLE);
	await expectNoAxeViolations(visitor);
	await block.scrollIntoViewIfNeeded();
	for (const width of [1280, 390]) {
		await visitor.setViewportSize({ width, height: 900 });
		await screenshot(block, `test-results/bilan-fiche-figee-${width}.png`);
	}

	// The fiche as the edition froze it: its year, objective, texts, owners and indicator of then.
	await block.getByRole('link').click();
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(
		`Fiche action 17-1 : ${OLD_TITLE}`
	);
	const year = visitor.getByRole('region', { name: 'L’année 2018 dans le bilan' });
	await expect(year).toContainText(/Priorité \d — .+ — avancement /);
	await expect(visitor.locator('main')).toContainText(/Objectif 17\s:/);
	await expect(visitor.locator('main')).toContainText(OLD_INDICATOR);
	await expect(visitor.locator('main')).not.toContainText(NEW_INDICATOR);
	await expect(visitor.getByRole('region', { name: 'Indicateurs d’évaluation' })).not.toContainText(
		'cible'
	);
	await expect(visitor.locator('main')).not.toContainText('Pilotage');
	await expect(visitor.getByRole('region', { name: 'Portage' })).not.toContainText(
		'Département du Lot'
	);
	await expect(visitor.getByRole('heading', { name: 'Descriptif de l’action' })).toBeVisible();
	await expect(visitor.getByRole('link', { name: 'la fiche 17-1 aujourd’hui' })).toHaveAttribute(
		'href',
		'/fiches/17-1'
	);
	await expectNoAxeViolations(visitor);
	for (const width of [1280, 390]) {
		await visitor.setViewportSize({ width, height: 900 });
		await screenshot(visitor, `test-results/bilan-fiche-page-${width}.png`);
	}

	const frozenPlan = (await (
		await visitor.request.get(`${portal.url}/bilans/2018/plan.json`)
	).json()) as { fiches: { code: string; title: string; owners: unknown[] }[] };
	expect(frozenPlan.fiches.find((f) => f.code === '17-1')).toMatchObject({
		title: OLD_TITLE,
		owners: []
	});
	const frozenCsv = await (
		await visitor.request.get(`${portal.url}/bilans/2018/fiches.csv`)
	).text();
	expect(frozenCsv).toContain(OLD_TITLE);
	expect(frozenCsv).not.toContain(NEW_TITLE);

	const live = (await (await visitor.request.get(`${portal.url}/donnees/plan.json`)).json()) as {
		fiches: { code: string; title: string; owners: unknown[]; indicators: unknown[] }[];
	};
	expect(live.fiches.find((f) => f.code === '17-1')).toMatchObject({
		title: NEW_TITLE,
		owners: [{ organisation: 'Département du Lot', scope: 'Pilotage' }],
		indicators: [{ label: NEW_INDICATOR, target: 5000, kind: 'count', retired_on: null }]
	});
});

test('a sitting of 2018 closed after the 2018 edition was published is named on it', async ({
	browser
}) => {
	// Recorded late: a sitting held in June 2018, closed today, with one free decision.
	const db = new SQLite(portal.databasePath);
	try {
		const now = new Date().toISOString();
		db.transaction(() => {
			const sitting = db
				.prepare(
					`INSERT INTO commission_session (held_on, place, title, state, created_at, closed_at)
					 VALUES ('2018-06-15', 'Cahors', 'Commission rattrapée', 'closed', ?, ?)`
				)
				.run(now, now).lastInsertRowid;
			const item = db
				.prepare(
					`INSERT INTO agenda_item (session_id, fiche_id, title, position)
					 VALUES (?, NULL, 'Point divers', 1)`
				)
				.run(sitting).lastInsertRowid;
			db.prepare(
				`INSERT INTO decision (session_id, agenda_item_id, kind, text, recorded_at)
				 VALUES (?, ?, 'free', 'Relevé saisi après le bilan', ?)`
			).run(sitting, item, now);
		})();
	} finally {
		db.close();
	}
	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/bilans/2018`);
	const notice = visitor.locator('#decisions ~ .notice, section.decisions .notice');
	await expect(notice).toContainText(
		/Depuis la publication de ce bilan, la commission a clos une séance de 2018 \(séance du 15\sjuin\s2018, 1\sdécision\)\s:\s+sa décision n’y figure pas, ni la priorité qu’elle a pu changer/
	);
	await expect(notice.getByRole('link')).toHaveText(/^séance du 15\sjuin\s2018, 1\sdécision$/);
	await expectNoAxeViolations(visitor);
	await visitor.setViewportSize({ width: 390, height: 900 });
	await notice.scrollIntoViewIfNeeded();
	await screenshot(visitor, 'test-results/bilan-seance-tardive-390.png');
});

test('an update of 2018 validated after the 2018 edition was published is told on it and on its fiche', async ({
	browser
}) => {
	// Reported in June 2018, validated today: the edition, published in 2019, does not have it.
	const db = new SQLite(portal.databasePath);
	try {
		db.prepare(
			`INSERT INTO progress_update (fiche_id, reported_on, status, progress, done, state, validated_at)
			 SELECT id, '2018-06-01', 'en_cours', 20, 'Validée après le bilan', 'validated', ?
			 FROM fiche WHERE code = '17-1'`
		).run(new Date().toISOString());
	} finally {
		db.close();
	}
	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/bilans/2018`);
	const notice = visitor.locator('.later-updates');
	await expect(notice).toContainText(
		/Depuis la publication de ce bilan, Lot numérique a validé une mise à jour de sa période/
	);
	await expect(notice.getByRole('link')).toHaveAttribute('href', '/fiches/17-1/historique/2018');
	await expect(ficheBlock(visitor)).toContainText(/1\sautre validée depuis/);
	await expectNoAxeViolations(visitor);
	await visitor.goto(`${portal.url}/bilans/2018/fiches/17-1?version=1`);
	await expect(visitor.locator('.later-updates')).toContainText(
		/une mise à jour de la fiche datée jusqu’au\s+31\sdécembre\s2018/
	);
	await expect(visitor.locator('main')).not.toContainText('Validée après le bilan');
	await expectNoAxeViolations(visitor);
	await visitor.setViewportSize({ width: 390, height: 900 });
	await screenshot(visitor, 'test-results/bilan-mise-a-jour-tardive-390.png');
});
