import { expect, test, type Browser, type Page } from '@playwright/test';
import { signedIn, signInThroughForm } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { fieldsReleased } from './helpers/forms';
import { createAccount, startOwnPortal, type OwnPortal } from './helpers/own-portal';
import { screenshotsAtWidths } from './helpers/screenshots';

const plansShot = (file: string) => `test-results/plan-${file}`;

// The plan is edited in a portal of its own (fresh database): the rest of the suite keeps the
// plan as the seed loads it.
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const ADMIN = {
	email: 'pia.plan@lot-numerique.test',
	name: 'Pia Plan',
	role: 'admin' as const,
	password: 'le causse de gramat sous la neige'
};

/** A partner, to sign in with in another tab while an admin's form is open. */
const PARTNER = {
	email: 'paula.partenaire@cdg46.test',
	name: 'Paula Partenaire',
	role: 'partenaire' as const,
	organisation: 'cdg46',
	password: 'les falaises de rocamadour au soleil'
};

let portal: OwnPortal;

test.beforeAll(async () => {
	portal = await startOwnPortal();
	createAccount(portal.databasePath, ADMIN);
	createAccount(portal.databasePath, PARTNER);
});
test.afterAll(async () => {
	portal.child.kill('SIGTERM');
	await portal.exited;
});

/** A new context signed in as the admin on this spec's portal, opened at `path` when given. */
async function adminPage(browser: Browser, path?: string): Promise<Page> {
	return (await signedIn(browser, ADMIN, { origin: portal.url, path })).page;
}

test('an admin gives 17-1 its owner, offered no decision on another fiche; a visitor sees it', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/plan');
	await expectNoAxeViolations(admin);
	await admin
		.getByRole('link', { name: /Mise en place d’outils numériques favorisant la mo/ })
		.click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Modifier la fiche 17-1');
	await expect(admin.getByText(/ne change que par une décision de la commission/)).toBeVisible();
	await expect(admin.getByRole('link', { name: 'la commission et ses séances' })).toHaveAttribute(
		'href',
		'/commission'
	);
	await expectNoAxeViolations(admin);
	await screenshotsAtWidths(admin, plansShot, 'fiche-form');

	// No reason: refused with a message under the field, what was typed kept.
	await admin.locator('#owner_0_org').selectOption({ label: 'Département du Lot' });
	await admin.locator('#owner_0_scope').fill('Pilotage et financement');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.locator('#reason-error')).toContainText('pourquoi');
	await expect(admin.locator('#owner_0_scope')).toHaveValue('Pilotage et financement');
	await expectNoAxeViolations(admin);

	await admin
		.locator('#reason')
		.fill('Porteur retenu par la commission des usages numériques du 1er février 2019');
	// A change of 17-1 cites a decision on 17-1 or on a free point: the 1 February 2019 séance
	// decided on other fiches only, none is offered.
	await expect(admin.locator('#decision option')).toHaveText(['Aucune']);
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modifications enregistrées');

	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/fiches/17-1`);
	const owners = visitor.getByRole('region', { name: 'Portage' });
	await expect(owners).toContainText('Département du Lot');
	await expect(owners).toContainText('Pilotage et financement');
	const revisions = visitor.getByRole('region', { name: 'Modifications de la fiche' });
	await expect(revisions).toContainText(
		'Porteur retenu par la commission des usages numériques du 1er février 2019'
	);
	await expect(revisions.getByRole('row', { name: /Porteurs/ })).toContainText(
		'Département du Lot — Pilotage et financement'
	);
	await expect(revisions).not.toContainText(ADMIN.name);
	await expectNoAxeViolations(visitor);
	await screenshotsAtWidths(visitor, plansShot, 'fiche-page');

	await visitor.getByRole('link', { name: 'La page des modifications' }).click();
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(
		'Modifications de la fiche 17-1'
	);
	await expect(visitor.locator('main')).not.toContainText(ADMIN.name);
	await expectNoAxeViolations(visitor);
	await screenshotsAtWidths(visitor, plansShot, 'modifications');

	// The admin sees who made it.
	await admin.goto(`${portal.url}/fiches/17-1/modifications`);
	await expect(admin.locator('main')).toContainText(`par ${ADMIN.name}`);
});

test('two admins edit the same fiche: the second is refused with what changed, typing kept', async ({
	browser
}) => {
	const first = await adminPage(browser, '/admin/plan/fiches/14-1');
	const second = await adminPage(browser, '/admin/plan/fiches/14-1');

	await first.getByLabel('Titre', { exact: true }).fill('Wifi public lotois dans chaque commune');
	await first.locator('#reason').fill('Intitulé usuel');
	await first.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(first.getByRole('status')).toContainText('Modifications enregistrées');

	await second.getByLabel(/^Titre court/).fill('Wifi territorial');
	await second.locator('#reason').fill('Titre court du tableau');
	await second.getByRole('button', { name: 'Enregistrer et publier' }).click();
	const alert = second.getByRole('alert');
	await expect(alert).toContainText('rien n’a été enregistré');
	// Who made the change, and when: the same account, in another tab, is « vous ».
	await expect(alert).toContainText(
		/Vous avez modifié cette fiche depuis un autre onglet, une autre fenêtre ou un autre appareil le \d+\s\S+\s\d{4}\sà\s\d+\sh(\s\d\d)?, depuis que vous l’avez ouverte/
	);
	await expect(alert.getByRole('row', { name: /Titre/ })).toContainText(
		'Wifi public lotois dans chaque commune'
	);
	await expect(second.getByLabel(/^Titre court/)).toHaveValue('Wifi territorial');
	// The conflict notice takes the focus (a keyboard or screen-reader user hears it first).
	await expect(alert).toBeFocused();
	await expectNoAxeViolations(second);
	await screenshotsAtWidths(second, plansShot, 'conflict');
	// On a phone the table of what changed fits the screen, each field a block: its name, then
	// « Avant : » and « Après : » each across the screen (not a third of it, words cut mid-way).
	await second.setViewportSize({ width: 390, height: 900 });
	const table = alert.getByRole('table');
	expect(await table.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
	const after = alert.getByRole('cell', { name: /Wifi public lotois dans chaque commune/ });
	await expect(after).toBeInViewport({ ratio: 1 });
	expect((await after.boundingBox())!.width).toBeGreaterThan(280);
	expect(await after.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Après : "');
	await second.setViewportSize({ width: 1280, height: 900 });

	// Saving again, knowingly, goes through.
	await second.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(second.getByRole('status')).toContainText('Modifications enregistrées');
	await second.goto(`${portal.url}/fiches/14-1`);
	await expect(second.getByRole('heading', { level: 1 })).toContainText(
		'Wifi public lotois dans chaque commune'
	);
});

test('two admins each add an indicator to the same fiche: the second, refused, saves theirs after the first’s', async ({
	browser
}) => {
	const first = await adminPage(browser, '/admin/plan/fiches/12-1');
	const second = await adminPage(browser, '/admin/plan/fiches/12-1');
	const newRow = (page: Page) =>
		page.getByRole('group', { name: 'Nouvel indicateur', exact: true }).getByLabel(/^Intitulé/);

	await newRow(first).fill('Nombre de bornes (A)');
	await first.locator('#reason').fill('Indicateur voté');
	await first.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(first.getByRole('status')).toContainText('Modifications enregistrées');

	await newRow(second).fill('Nombre de communes (B)');
	await second.locator('#reason').fill('Autre indicateur');
	await second.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(second.getByRole('alert')).toContainText('rien n’a été enregistré');
	// The first's indicator is shown in its place; the typing of the second follows it.
	await expect(second.locator('input[value="Nombre de bornes (A)"]')).toHaveCount(1);
	await expect(second.getByRole('group', { name: 'Indicateur 3' })).toBeVisible();
	// Their row shows their label, not this person's typing left in its field (rowKey): saved
	// again, it would have renamed the colleague's indicator.
	await expect(
		second.getByRole('group', { name: 'Indicateur 3' }).getByLabel(/^Intitulé/)
	).toHaveValue('Nombre de bornes (A)');
	await expect(newRow(second).first()).toHaveValue('Nombre de communes (B)');

	await second.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(second.getByRole('status')).toContainText('Modifications enregistrées');
	await second.goto(`${portal.url}/fiches/12-1`);
	await expect(second.getByRole('main')).toContainText('Nombre de bornes (A)');
	await expect(second.getByRole('main')).toContainText('Nombre de communes (B)');
});

test('a refusal of one of the fiche’s two forms, read again over another admin’s save, leaves what is typed in the other', async ({
	browser
}) => {
	const first = await adminPage(browser, '/admin/plan/fiches/14-1');
	const second = await adminPage(browser, '/admin/plan/fiches/14-1');
	// The first admin types a reason to abandon the fiche, not sent, and a new context.
	await first.locator('#abandon-reason').fill('Reprise par la région');
	await first.locator('#context').fill('Contexte revu en comité');
	await first.locator('#reason').fill('Relecture du contexte');
	// Meanwhile the second admin saves another field.
	await second.getByLabel(/^Titre court/).fill('Titre du second');
	await second.locator('#reason').fill('Titre court du tableau');
	await second.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(second.getByRole('status')).toContainText('Modifications enregistrées');

	// The first save is refused with what changed; the reason typed to abandon stays.
	await first.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(first.getByRole('alert').first()).toContainText('rien n’a été enregistré');
	await expect(first.locator('#abandon-reason')).toHaveValue('Reprise par la région');
	await expect(first.locator('#context')).toHaveValue('Contexte revu en comité');
	await expect(first.getByLabel(/^Titre court/)).toHaveValue('Titre du second');

	// « Abandonner » sent without its reason is refused; the fiche form keeps what was typed.
	await first.locator('#abandon-reason').fill('');
	await first.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(first.getByRole('alert').first()).toContainText('La fiche n’a pas été abandonnée');
	await expect(first.locator('#context')).toHaveValue('Contexte revu en comité');
	await expect(first.locator('#reason')).toHaveValue('Relecture du contexte');

	// Saving it now keeps both admins' changes.
	await first.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(first.getByRole('status')).toContainText('Modifications enregistrées');
	await expect(first.locator('#context')).toHaveValue('Contexte revu en comité');
	await expect(first.getByLabel(/^Titre court/)).toHaveValue('Titre du second');
	await expect(first.locator('#reason')).toHaveValue('');
});

test('signed out in another tab, an admin’s fiche and organisation forms keep their typing; signed in again, they save', async ({
	browser
}) => {
	const page = await adminPage(browser, '/admin/plan/fiches/9-1');
	await page.getByLabel(/^Titre court/).fill('Médiation numérique');
	await page.locator('#reason').fill('Titre court du tableau de bord');
	const other = await page.context().newPage();
	await other.goto(`${portal.url}/admin`);
	await other.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(other.getByRole('link', { name: 'Connexion' })).toBeVisible();

	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	const signedOut = page.getByRole('alert').filter({ hasText: 'Votre session a pris fin' });
	await expect(signedOut).toContainText('votre saisie est conservée ci-dessous');
	// It takes the focus: its sign-in link is the next Tab.
	await expect(signedOut).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(
		signedOut.getByRole('link', { name: 'Se connecter dans un nouvel onglet' })
	).toBeFocused();
	await expect(
		signedOut.getByRole('link', { name: 'Se connecter dans un nouvel onglet' })
	).toBeVisible();
	await expect(page).toHaveURL(`${portal.url}/admin/plan/fiches/9-1`);
	await expect(page.getByLabel(/^Titre court/)).toHaveValue('Médiation numérique');
	await expect(page.locator('#reason')).toHaveValue('Titre court du tableau de bord');

	// Signed in again with another account, which may not edit the plan: the same.
	await signInThroughForm(other, PARTNER, portal.url);
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Le compte connecté n’a pas les droits nécessaires' })
	).toContainText('votre saisie est conservée ci-dessous');
	await expect(page.getByLabel(/^Titre court/)).toHaveValue('Médiation numérique');
	await other.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(other.getByRole('link', { name: 'Connexion' })).toBeVisible();

	// The organisation form, the same way.
	const organisation = await page.context().newPage();
	await signInThroughForm(other, ADMIN, portal.url);
	await organisation.goto(`${portal.url}/admin/organisations`);
	await organisation.getByRole('link', { name: 'Préfecture du Lot', exact: true }).click();
	await expect(organisation.getByRole('heading', { level: 1 })).toHaveText('Préfecture du Lot');
	await organisation.locator('#full_name').fill('Préfecture du département du Lot');
	await organisation.locator('#reason').fill('Nom complet');
	await other.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(other.getByRole('link', { name: 'Connexion' })).toBeVisible();
	await organisation.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(
		organisation.getByRole('alert').filter({ hasText: 'Votre session a pris fin' })
	).toBeVisible();
	await expect(organisation.locator('#full_name')).toHaveValue('Préfecture du département du Lot');

	// Signed in again in the other tab: both forms, sent again as they are, are saved; the
	// reason given for that change is not left in its field for the next one.
	await signInThroughForm(other, ADMIN, portal.url);
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(page.getByRole('status')).toContainText('Modifications enregistrées');
	await expect(page.locator('[data-send-failed]')).toHaveCount(0);
	await expect(page.getByLabel(/^Titre court/)).toHaveValue('Médiation numérique');
	await expect(page.locator('#reason')).toHaveValue('');
	await organisation.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(organisation.getByRole('status')).toContainText('Modification enregistrée');
	await expect(organisation.locator('#full_name')).toHaveValue('Préfecture du département du Lot');
	await expect(organisation.locator('#reason')).toHaveValue('');
	await page.context().close();
});

test('an indicator’s target, refused when it does not fit the kind, then shown with its gap', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/plan/fiches/14-1');
	await admin.locator('#ind_0_kind').selectOption('percentage');
	await admin.locator('#ind_0_target').fill('120');
	const unit = await admin.locator('#ind_0_unit').inputValue();
	await admin.locator('#ind_0_unit').fill('u'.repeat(301));
	await admin.locator('#reason').fill('Cible');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.locator('#ind_0_target-error')).toContainText('entre 0 et 100');
	// Every indicator has a « Cible »: the summary at the top says whose.
	await expect(
		admin.getByRole('alert').getByRole('link', { name: /^Indicateur 1, cible : .*entre 0 et 100/ })
	).toHaveAttribute('href', '#ind_0_target');
	// A row's text too long: said once, named by its row and field.
	await expect(
		admin.getByRole('alert').getByRole('link', {
			name: 'Indicateur 1, unité : 300 caractères au plus (301 saisis, 1 de trop).'
		})
	).toHaveAttribute('href', '#ind_0_unit');
	await expect(admin.locator('#ind_0_unit-error')).toHaveText(
		'300 caractères au plus (301 saisis, 1 de trop).'
	);
	await admin.locator('#ind_0_unit').fill(unit);
	await admin.locator('#ind_0_kind').selectOption('count');
	await admin.locator('#ind_0_target').fill('340');
	await admin.locator('#ind_0_target_date').fill('2027-12-31');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modifications enregistrées');

	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/fiches/14-1`);
	const indicators = visitor.getByRole('region', { name: 'Indicateurs d’évaluation' });
	await expect(indicators).toContainText(/Cible\s:\s340\s.*au 31\sdécembre\s2027/);
	await expect(indicators).toContainText(/pour atteindre la cible|Cible atteinte/);
});

test('an indicator’s unit over published measurements: refused beside the field, then saved with its box ticked', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/plan/fiches/14-1');
	const unit = admin.locator('#ind_0_unit');
	const before = await unit.inputValue();
	await unit.fill('bornes installées');
	await admin.locator('#reason').fill('Unité');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.locator('#ind_0_unit-error')).toContainText(
		/elle se lira en «\s?bornes installées\s?» et non plus en «\s?communes\s?»/
	);
	await expect(unit).toHaveValue('bornes installées');
	const box = admin.getByLabel('Changer l’unité des mesures publiées');
	await expect(box).not.toBeChecked();
	await fieldsReleased(admin);
	await box.check();
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modifications enregistrées');
	await expect(unit).toHaveValue('bornes installées');
	expect(before).not.toBe('bornes installées');
});

test('an admin adds fiche 4-2: tree, list, organisation page, dashboard and open data show it', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/plan');
	const add = admin.getByRole('region', { name: 'Ajouter une fiche' });
	await add.getByLabel('Objectif').selectOption({ label: '4. Développer l’e-citoyenneté' });
	await add.getByLabel('Titre').fill('Budget participatif numérique');
	// Without a reason: refused, said at the top of the page, the typing kept at its end.
	await add.getByRole('button', { name: 'Ajouter la fiche' }).click();
	const refusal = admin
		.getByRole('alert')
		.filter({ hasText: 'Rien n’a été enregistré : 1 champ à corriger' });
	await expect(refusal).toBeInViewport();
	// It has the focus: read first, its links the next Tab.
	await expect(refusal).toBeFocused();
	await expect(add.getByLabel('Titre')).toHaveValue('Budget participatif numérique');
	await add.locator('#reason').fill('Fiche demandée par le comité syndical');
	await add.getByRole('button', { name: 'Ajouter la fiche' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Modifier la fiche 4-2');
	await expect(admin.getByRole('status')).toContainText('Fiche ajoutée au plan et publiée');
	await admin.locator('#owner_0_org').selectOption({ label: 'Syndicat mixte Lot numérique' });
	await admin
		.locator('#description')
		.fill('Une plateforme de budget participatif.\n- Appel à projets');
	await admin.locator('#reason').fill('Porteur et description');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modifications enregistrées');

	await admin.goto(`${portal.url}/admin/plan`);
	await expect(admin.getByRole('link', { name: 'Budget participatif numérique' })).toBeVisible();

	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/`);
	await expect(
		visitor.getByRole('link', { name: /Budget participatif numérique/ }).first()
	).toBeVisible();
	await expect(visitor.locator('main')).toContainText('Fiche 4-2 ajoutée au plan');
	await visitor.goto(`${portal.url}/fiches`);
	await expect(visitor.getByRole('link', { name: /Budget participatif numérique/ })).toBeVisible();
	await visitor.goto(`${portal.url}/organisations/lot-numerique`);
	await expect(visitor.getByRole('link', { name: /Budget participatif numérique/ })).toBeVisible();
	// It had no priority at the adoption of 2018: the comparison says when it was added instead.
	await visitor.goto(`${portal.url}/commission/priorites`);
	await expect(visitor.getByRole('row', { name: /4-2 — Budget participatif/ })).toContainText(
		/—\s+\(ajoutée au plan le \d{1,2}(er)?\s\S+\s\d{4},\s+en\s+priorité 2\)/
	);
	await visitor.goto(`${portal.url}/tableau-de-bord`);
	await expect(visitor.locator('main')).toContainText('24 fiches-actions');
	const csv = await (await visitor.request.get(`${portal.url}/donnees/fiches.csv`)).text();
	expect(csv).toContain('4-2');
	expect(csv).toContain('Budget participatif numérique');
	const plan = (await (await visitor.request.get(`${portal.url}/donnees/plan.json`)).json()) as {
		fiches: { code: string; objective: number; title: string }[];
	};
	expect(plan.fiches.find((f) => f.code === '4-2')).toMatchObject({
		objective: 4,
		title: 'Budget participatif numérique'
	});
	await visitor.goto(`${portal.url}/fiches/4-2`);
	await expectNoAxeViolations(visitor);
	// Its page says what is not written yet, and dates its priority from today, not from 2018.
	await expect(visitor.getByRole('region', { name: 'Enjeux et contexte' })).toContainText(
		'Pas encore rédigé.'
	);
	await expect(visitor.getByRole('region', { name: 'Indicateurs d’évaluation' })).toContainText(
		'Aucun indicateur n’est encore défini pour cette fiche.'
	);
	await expect(visitor.locator('main')).toContainText(
		'Priorité fixée à l’ajout de la fiche au plan.'
	);
	await expect(visitor.locator('main')).not.toContainText('19 juillet 2018');
});

test('an admin renames an orientation and moves objective 4; a visitor sees both', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/plan');
	await expectNoAxeViolations(admin);
	await screenshotsAtWidths(admin, plansShot, 'arbre');

	// Rename: a reason is required (French message, typing kept), the code stays.
	await admin
		.getByRole('link', { name: 'Modifier l’orientation « Politique de la donnée »' })
		.click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText(
		'Modifier l’orientation « Politique de la donnée »'
	);
	await expectNoAxeViolations(admin);
	await admin.getByLabel('Intitulé').fill('Politique de la donnée publique');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.locator('#reason-error')).toContainText('Indiquez en quelques mots');
	await expect(admin.getByLabel('Intitulé')).toHaveValue('Politique de la donnée publique');
	await expectNoAxeViolations(admin);
	await admin.locator('#reason').fill('Intitulé voté par le comité syndical');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modification enregistrée');
	await expect(admin.locator('main')).toContainText('Code : politique-donnee');
	// Who made it, as on a fiche's form.
	await expect(admin.getByRole('region', { name: 'Ses modifications' })).toContainText(
		`Intitulé voté par le comité syndical — par ${ADMIN.name}`
	);
	await screenshotsAtWidths(admin, plansShot, 'orientation');

	// Two admins open objective 4; the first moves it, the second is refused with what changed.
	await admin.goto(`${portal.url}/admin/plan`);
	await admin.getByRole('link', { name: 'Modifier l’objectif 4' }).click();
	const other = await adminPage(browser);
	await other.goto(admin.url());
	await admin.getByLabel('Orientation').selectOption({ label: 'Territoire en réseau' });
	await admin.locator('#reason').fill('Rattachement décidé en commission');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modification enregistrée');
	await expect(admin.locator('main')).toContainText('Fiches : 4-1, 4-2');
	await screenshotsAtWidths(admin, plansShot, 'objectif');
	await other.getByLabel('Intitulé de synthèse').fill('E-citoyenneté');
	await other.locator('#reason').fill('Intitulé court');
	await other.getByRole('button', { name: 'Enregistrer et publier' }).click();
	const alert = other.getByRole('alert');
	// Who made the change, and when: the same admin's other tab, said « vous ».
	await expect(alert).toContainText(
		/Vous avez modifié cet élément du plan depuis un autre onglet, une autre fenêtre ou un autre appareil le \d+\s\S+\s\d{4}\sà\s\d+\sh(\s\d\d)?, depuis que vous avez ouvert la page/
	);
	await expect(alert).toContainText('Territoire en réseau');
	await expect(other.getByLabel('Intitulé de synthèse')).toHaveValue('E-citoyenneté');
	await expectNoAxeViolations(other);
	await screenshotsAtWidths(other, plansShot, 'objectif-conflit');

	// The add pages, empty and refused.
	for (const path of ['axes', 'orientations', 'objectifs']) {
		await admin.goto(`${portal.url}/admin/plan/${path}/nouveau`);
		await expectNoAxeViolations(admin);
		await admin.getByRole('button', { name: /^Ajouter/ }).click();
		await expect(admin.locator('#label-error')).toContainText('Indiquez l’intitulé');
		// The refused fields are named at the top too, each a link to its field.
		const summary = admin.locator('[data-error-summary]');
		await expect(summary).toContainText('Rien n’a été enregistré');
		// Once the answer is applied (the form no longer busy): a link followed before moved the
		// focus, which the end of that answer then took to the refusal (once in CI, loaded).
		await expect(admin.locator('form[aria-busy]')).toHaveCount(0);
		await summary.getByRole('link', { name: /Indiquez l’intitulé/ }).click();
		await expect(admin.getByLabel('Intitulé', { exact: true })).toBeFocused();
		await expectNoAxeViolations(admin);
	}
	await screenshotsAtWidths(admin, plansShot, 'objectif-nouveau');

	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/fiches?orientation=territoire-en-reseau`);
	await expect(visitor.getByRole('link', { name: /Budget participatif numérique/ })).toBeVisible();
	await expect(visitor.locator('#orientation')).toContainText('Politique de la donnée publique');
	await visitor.goto(`${portal.url}/`);
	await expect(visitor.locator('main')).toContainText('Politique de la donnée publique');
	await expect(visitor.getByRole('region', { name: 'Historique du plan' })).toContainText(
		'Objectif 4 « Développer l’e-citoyenneté » rattaché à l’orientation « Territoire en réseau »'
	);
	await visitor.goto(`${portal.url}/fiches/4-2/modifications`);
	await expect(visitor.locator('main')).toContainText('Rattachement décidé en commission');
	const plan = (await (await visitor.request.get(`${portal.url}/donnees/plan.json`)).json()) as {
		orientations: { code: string; label: string }[];
		objectives: { number: number; orientation: string }[];
	};
	expect(plan.objectives.find((o) => o.number === 4)?.orientation).toBe('territoire-en-reseau');
	expect(plan.orientations.find((o) => o.code === 'politique-donnee')?.label).toBe(
		'Politique de la donnée publique'
	);
});

test('organisations: listed with counts, renamed (the former name still finds it), axe clean', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/organisations');
	await expectNoAxeViolations(admin);
	await screenshotsAtWidths(admin, plansShot, 'organisations');
	await admin.getByRole('link', { name: 'CDG46' }).click();
	await expectNoAxeViolations(admin);
	await admin.locator('#name').fill('Centre de gestion du Lot');
	await admin.locator('#reason').fill('Nom usuel');
	await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(admin.getByRole('status')).toContainText('Modification enregistrée');
	await expect(admin.locator('main')).toContainText('Anciens noms : CDG46');
	await screenshotsAtWidths(admin, plansShot, 'organisation');
	await admin.goto(`${portal.url}/admin/organisations?q=cdg46`);
	await expect(admin.getByRole('link', { name: 'Centre de gestion du Lot' })).toBeVisible();
	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/organisations`);
	await expect(visitor.locator('main')).toContainText('anciennement : CDG46');

	// Created from the form below the list: refused, the page opens on a summary that leads to the
	// fields, every problem at once (a name taken with a nature missing); no nature is chosen in
	// advance; created, its page says so.
	await admin.setViewportSize({ width: 390, height: 800 });
	await admin.goto(`${portal.url}/admin/organisations`);
	await admin.locator('#name').fill('ADCF');
	await admin.locator('#reason').fill('Nouvelle partenaire');
	await admin.getByRole('button', { name: 'Créer l’organisation' }).click();
	const summary = admin.getByRole('alert').filter({ hasText: 'L’organisation n’a pas été créée' });
	await expect(summary).toBeInViewport();
	await expect(summary.getByRole('link')).toHaveText([
		/^«\sADCF\s» porte déjà ce nom/,
		'Choisissez la nature dans la liste.'
	]);
	await summary.getByRole('link', { name: 'Choisissez la nature dans la liste.' }).click();
	await expect(admin.locator('#kind')).toBeFocused();
	await expect(admin.locator('#reason')).toHaveValue('Nouvelle partenaire');
	await expectNoAxeViolations(admin);
	await admin.locator('#kind').selectOption({ label: 'Association ou réseau' });
	await admin.locator('#name').fill('Tiers-lieu de Figeac');
	await admin.getByRole('button', { name: 'Créer l’organisation' }).click();
	await expect(admin.getByRole('status')).toHaveText(
		'Organisation créée : elle peut être choisie comme porteur ou partenaire.'
	);
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Tiers-lieu de Figeac');
});

test('two admins edit one organisation: the second is shown the other’s change, which saving again keeps', async ({
	browser
}) => {
	const first = await adminPage(browser);
	const second = await adminPage(browser);
	for (const page of [first, second]) {
		await page.goto(`${portal.url}/admin/organisations`);
		await page.getByRole('link', { name: 'ADCF', exact: true }).click();
	}
	await first.locator('#name').fill('Intercommunalités de France');
	await first.locator('#reason').fill('Nouveau nom de l’association');
	await first.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(first.getByRole('status')).toContainText('Modification enregistrée');

	// The second admin, who opened the page before, gives a full name only.
	await second.locator('#full_name').fill('Fédération nationale des élus de l’intercommunalité');
	await second.locator('#reason').fill('Nom complet');
	await second.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	const alert = second.getByRole('alert');
	await expect(alert).toContainText('rien n’a été enregistré');
	// Who made the change, and when: the same account, in another tab, is « vous ».
	await expect(alert).toContainText(
		/Vous avez modifié cette organisation depuis un autre onglet, une autre fenêtre ou un autre appareil le \d+\s\S+\s\d{4}\sà\s\d+\sh(\s\d\d)?, depuis que vous avez ouvert la page/
	);
	await expect(alert).toContainText('les champs que vous n’aviez pas touchés ont repris');
	await expect(alert.getByRole('row', { name: /Nom/ })).toContainText(
		'Intercommunalités de France'
	);
	await expect(second.locator('#name')).toHaveValue('Intercommunalités de France');
	await expect(second.locator('#full_name')).toHaveValue(
		'Fédération nationale des élus de l’intercommunalité'
	);
	await expectNoAxeViolations(second);
	// Saving again keeps both changes: the other's name is not put back.
	await second.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(second.getByRole('status')).toContainText('Modification enregistrée');
	await expect(second.getByRole('heading', { level: 1 })).toHaveText('Intercommunalités de France');
	await expect(second.locator('#full_name')).toHaveValue(
		'Fédération nationale des élus de l’intercommunalité'
	);

	// The first admin's page is now behind: a full name typed but not sent, then « Retirer » sent
	// without its reason. The refusal reads the page again; the typing in the other form stays.
	await first.locator('#full_name').fill('Assemblée des communautés de France');
	await first.getByRole('button', { name: 'Retirer l’organisation' }).click();
	await expect(first.getByRole('alert').first()).toContainText(
		'L’organisation n’a pas été retirée'
	);
	await expect(first.locator('#name')).toHaveValue('Intercommunalités de France');
	await expect(first.locator('#full_name')).toHaveValue('Assemblée des communautés de France');

	// Its name emptied and saved with a reason: refused, the typing sent back. « Retirer » sent
	// again without its reason leaves that form as its own refusal left it, not as stored.
	await first.locator('#name').fill('');
	await first.locator('#kind').selectOption({ label: 'Établissement ou organisme public' });
	await first.locator('#reason').fill('Nom à revoir');
	await first.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(first.getByRole('alert').first()).toContainText(
		'L’organisation n’a pas été modifiée'
	);
	await first.getByRole('button', { name: 'Retirer l’organisation' }).click();
	await expect(first.getByRole('alert').first()).toContainText(
		'L’organisation n’a pas été retirée'
	);
	await expect(first.locator('#name')).toHaveValue('');
	await expect(first.locator('#full_name')).toHaveValue('Assemblée des communautés de France');
	await expect(first.locator('#reason')).toHaveValue('Nom à revoir');
	await expect(first.locator('#kind')).toHaveValue('public_body');
});

test('an organisation retired while a fiche’s form is open: refused on its row, kept in view, not taken for the row removed', async ({
	browser
}) => {
	const other = await adminPage(browser, '/admin/organisations');
	await other.locator('#name').fill('Espace numérique de Gramat');
	await other.locator('#kind').selectOption({ label: 'Association ou réseau' });
	await other.locator('#reason').fill('Nouveau partenaire');
	await other.getByRole('button', { name: 'Créer l’organisation' }).click();
	await expect(other.getByRole('heading', { level: 1 })).toHaveText('Espace numérique de Gramat');

	const page = await adminPage(browser, '/admin/plan/fiches/12-1');
	const row = await page
		.locator('select[name^="owner_"]')
		.evaluateAll((selects) => (selects as HTMLSelectElement[]).find((s) => s.value === '')!.id);
	const select = page.locator(`#${row}`);
	await select.selectOption({ label: 'Espace numérique de Gramat' });
	await page.locator('#reason').fill('Nouveau porteur');

	await other.locator('#retrait-reason').fill('Association dissoute');
	await other.getByRole('button', { name: 'Retirer l’organisation' }).click();
	await expect(other.locator('.lead')).toContainText('retirée le');

	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Rien n’a été enregistré' })
	).toBeFocused();
	await expect(page.locator(`#${row}-error`)).toHaveText(
		/^L’organisation\s«\sEspace numérique de Gramat\s» a été retirée ou fusionnée entre-temps/
	);
	await expect(select.locator('option:checked')).toHaveText(
		'Organisation retirée ou fusionnée entre-temps (à remplacer)'
	);
	await expect(page.locator('#reason')).toHaveValue('Nouveau porteur');
	await other.context().close();
	await page.context().close();
});

test('an admin abandons fiche 7-3, never started: not counted as engaged, its history does not say « à lancer »', async ({
	browser
}) => {
	const page = await adminPage(browser);
	const engaged = async () => {
		await page.goto(`${portal.url}/`);
		return page.locator('li', { hasText: 'fiches engagées' }).locator('strong').innerText();
	};
	const before = await engaged();
	await page.goto(`${portal.url}/admin/plan/fiches/7-3`);
	// Refused without a reason: the answer opens at the page's top, which says what and where.
	await page.getByRole('button', { name: 'Abandonner la fiche' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'La fiche n’a pas été abandonnée' });
	await expect(summary).toBeInViewport();
	await expect(summary).toBeFocused();
	await screenshotsAtWidths(page, plansShot, 'resume-erreurs');
	await summary.getByRole('link').first().click();
	await expect(page.locator('#abandon-reason')).toBeFocused();
	await page.locator('#abandon-reason').fill('Fiche reprise par un autre dispositif.');
	// Final, as a merge: the page says so, and the box left unticked refuses it, the reason kept.
	await expect(page.getByText('Un abandon est définitif')).toBeVisible();
	await page.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(summary).toContainText('Cochez la case pour confirmer l’abandon');
	await expect(page.locator('#abandon-reason')).toHaveValue(
		'Fiche reprise par un autre dispositif.'
	);
	// The form's fields are held until the refusal's answer is fully applied, the page's data read
	// again included (holdFields): a click on the box meanwhile does nothing (ci41, under load).
	await fieldsReleased(page);
	await page.getByLabel('Un abandon ne se défait pas : abandonner la fiche 7-3').check();
	await page.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(page.getByRole('status')).toContainText('Fiche abandonnée.');
	// The page's top says so, above a form that looks like any fiche's.
	await expect(page.getByText('Cette fiche est abandonnée : elle reste publiée')).toBeInViewport();
	await expect(page.getByText('Cette fiche est abandonnée, définitivement.')).toBeVisible();
	expect(await engaged()).toBe(before);
	await page.goto(`${portal.url}/fiches/7-3`);
	const history = page.getByRole('region', { name: 'Historique' });
	await expect(history).toContainText('Aucune mise à jour publiée.');
	await expect(history).not.toContainText('à lancer');
	// The dashboard's key figures name the abandoned fiches: the statuses add up to the fiches.
	await page.goto(`${portal.url}/tableau-de-bord`);
	const figures = page.getByRole('list', { name: 'Chiffres clés' }).getByRole('listitem');
	await expect(figures.nth(1)).toContainText(/abandonnées?/);
	const numbers = async (item: number) =>
		(await figures.nth(item).locator('strong').allInnerTexts()).map(Number);
	const [fiches] = await numbers(0);
	expect((await numbers(1)).reduce((a, b) => a + b, 0)).toBe(fiches);
	await page.context().close();
});

test('an admin applies the commission’s decision to suspend fiche 10-1: refused without a status nor a reason, typing kept; then published in its history', async ({
	browser
}) => {
	const page = await adminPage(browser, '/admin/plan/fiches/10-1');
	const section = page.getByRole('region', { name: 'Changer le statut' });
	await section.getByLabel('Raison du changement de statut').fill('  ');
	await section.getByRole('button', { name: 'Changer le statut' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'Le statut n’a pas été changé' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([
		'Choisissez le nouveau statut dans la liste.',
		/^Indiquez en quelques mots pourquoi/
	]);
	await summary.getByRole('link').first().click();
	await expect(page.locator('#new-status')).toBeFocused();
	await section.getByLabel('Nouveau statut').selectOption({ label: 'Suspendue' });
	await section.getByLabel('Raison du changement de statut').fill('En attente du financement');
	const decision = section.getByLabel(/^Décision de la commission à l’origine du changement/);
	// Only the fiche's own decisions (and free points'), its own named so: not 13-1's or 3-1's.
	await expect(decision.locator('optgroup')).toHaveAttribute(
		'label',
		'Décisions sur la fiche 10-1'
	);
	await expect(decision.locator('option')).toHaveCount(2);
	await decision.selectOption({ index: 1 });
	// Typing in the fiche's form, not saved yet, outlives the status changed below it.
	const shortTitle = page.getByLabel(/^Titre court/);
	const shortTitleSaved = await shortTitle.inputValue();
	await shortTitle.fill('Tiers-lieux (en cours de saisie)');
	await section.getByRole('button', { name: 'Changer le statut' }).click();
	await expect(page.getByRole('status')).toContainText(
		'Statut changé : la fiche est « Suspendue »'
	);
	await expect(shortTitle).toHaveValue('Tiers-lieux (en cours de saisie)');
	await shortTitle.fill(shortTitleSaved);
	// The status it has is no longer offered.
	await expect(section.getByLabel('Nouveau statut').locator('option')).toHaveText([
		'Choisissez',
		'À lancer',
		'En cours'
	]);
	await page.goto(`${portal.url}/fiches/10-1`);
	await expect(page.locator('dd').filter({ hasText: 'Suspendue' })).toBeVisible();
	const history = page.getByRole('region', { name: 'Historique' });
	await expect(history.getByRole('listitem').last()).toContainText(
		/statut\s:\sSuspendue[\s\S]*En attente du financement[\s\S]*Source\s:\sLot numérique, en application de la décision de la commission du /
	);
	await page.context().close();
});

test('a fiche moved to another objective is found at its former address: 17-2 leads to its new code', async ({
	browser
}) => {
	const page = await adminPage(browser);
	// A second admin has the fiche open and is typing when the first moves it.
	const stale = await adminPage(browser, '/admin/plan/fiches/17-2');
	await stale.getByLabel(/^Titre court/).fill('Seniors connectés');
	await stale.locator('#reason').fill('Titre court du tableau');
	await page.goto(`${portal.url}/admin/plan/fiches/17-2`);
	await page.getByLabel(/^Objectif/).selectOption({ label: '4. Développer l’e-citoyenneté' });
	await page.locator('#reason').fill('Rattachée à l’e-citoyenneté');
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Modifier la fiche 4-\d$/);
	const code = (await page.getByRole('heading', { level: 1 }).innerText()).split(' ').at(-1)!;
	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	for (const [former, now] of [
		['/fiches/17-2', `/fiches/${code}`],
		['/fiches/17-2/modifications?x=1', `/fiches/${code}/modifications?x=1`]
	]) {
		const answer = await visitor.request.get(`${portal.url}${former}`, { maxRedirects: 0 });
		expect(answer.status()).toBe(307);
		expect(answer.headers().location).toBe(now);
	}
	await visitor.goto(`${portal.url}/fiches/17-2`);
	await expect(visitor).toHaveURL(new RegExp(`/fiches/${code}$`));
	expect((await visitor.request.get(`${portal.url}/fiches/17-9`)).status()).toBe(404);
	// Its former code typed in the search finds it, and says what it became; the history names both.
	await visitor.goto(`${portal.url}/fiches?q=17-2`);
	await expect(visitor.locator('#resultats')).toHaveText('1 fiche trouvée');
	await expect(visitor.locator('main')).toContainText(
		`La fiche 17-2 a été rattachée à un autre objectif : elle est devenue la fiche ${code}.`
	);
	await visitor.goto(`${portal.url}/historique`);
	await expect(visitor.locator('main')).toContainText(
		`Fiche 17-2 rattachée à un autre objectif : elle devient ${code}`
	);
	await visitor.context().close();

	// The signed-in addresses follow too (a partner's link in a campaign mail already sent).
	for (const [former, now] of [
		['/admin/plan/fiches/17-2', `/admin/plan/fiches/${code}`],
		['/espace/fiches/17-2/suivi?brouillon=1', `/espace/fiches/${code}/suivi?brouillon=1`],
		// A convocation's link to the fiche's file for a sitting (the seeded history's first).
		['/commission/seances/1/fiches/17-2', `/commission/seances/1/fiches/${code}`]
	]) {
		const answer = await page.request.get(`${portal.url}${former}`, { maxRedirects: 0 });
		expect(answer.status()).toBe(307);
		expect(answer.headers().location).toBe(now);
	}

	// The second admin saves on the page opened before the move: refused as a conflict, typing
	// kept, on the fiche under its new code; saving again goes through.
	// Read again after the refusal, the page comes under the new code, the refusal with it, and
	// the refusal has the focus.
	await stale.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(stale.getByRole('heading', { level: 1 })).toHaveText(`Modifier la fiche ${code}`);
	await expect(stale).toHaveURL(`${portal.url}/admin/plan/fiches/${code}`);
	const conflict = stale.getByRole('alert').filter({ hasText: 'rien n’a été enregistré' });
	await expect(conflict).toBeFocused();
	// Still there once the page has read its data again (it once came and went with the reading).
	await stale.waitForLoadState('networkidle');
	await expect(conflict).toBeFocused();
	await expect(conflict).toContainText(code);
	await expect(stale.getByLabel(/^Titre court/)).toHaveValue('Seniors connectés');
	await expect(stale.getByLabel(/^Objectif/)).toHaveValue(
		await page.getByLabel(/^Objectif/).inputValue()
	);
	await stale.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(stale.getByRole('status')).toContainText('Modifications enregistrées');
	await expect(stale).toHaveURL(new RegExp(`/admin/plan/fiches/${code}\\?enregistre=1$`));
	await expect(stale.locator('#reason')).toHaveValue('');
	await stale.context().close();
	await page.context().close();
});

// Staff review s57: the abandon of a page opened before a colleague moved the fiche is posted to
// its former address. The server finds the fiche under its new code (never another fiche: a code
// is never given twice) and refuses it, the move having changed its version; the refusal says the
// fiche moved and what it became, the page read again comes under the new code with the reason
// kept, and the abandon sent again applies to that fiche.
test('an abandon sent from a page opened before a colleague moved the fiche: refused, told where it went, the reason kept; sent again, applied there', async ({
	browser
}) => {
	const stale = await adminPage(browser, '/admin/plan/fiches/16-1');
	await stale.locator('#abandon-reason').fill('Reprise par un autre dispositif');
	await stale.locator('#abandon-confirm').check();

	const page = await adminPage(browser, '/admin/plan/fiches/16-1');
	await page.getByLabel(/^Objectif/).selectOption({ value: '15' });
	await page.locator('#reason').fill('Rattachée à l’objectif 15');
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Modifier la fiche 15-\d$/);
	const code = (await page.getByRole('heading', { level: 1 }).innerText()).split(' ').at(-1)!;

	await stale.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(stale).toHaveURL(`${portal.url}/admin/plan/fiches/${code}`);
	await expect(stale.getByRole('heading', { level: 1 })).toHaveText(`Modifier la fiche ${code}`);
	const refusal = stale.getByRole('region', { name: 'Abandonner la fiche' }).getByRole('alert');
	await expect(refusal).toContainText('rien n’a été enregistré');
	await expect(refusal).toContainText(
		`La fiche 16-1 a été rattachée à un autre objectif entre-temps : elle est devenue la fiche ${code}.`
	);
	await expect(stale.locator('#abandon-reason')).toHaveValue('Reprise par un autre dispositif');
	await expect(stale.locator('main')).not.toContainText('Cette fiche est abandonnée');

	await fieldsReleased(stale);
	await stale.locator('#abandon-confirm').check();
	await stale.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(stale.getByRole('status')).toContainText('Fiche abandonnée');
	await expect(stale).toHaveURL(`${portal.url}/admin/plan/fiches/${code}?enregistre=abandon`);
	await expect(stale.locator('main')).toContainText('Cette fiche est abandonnée');
	await stale.context().close();
	await page.context().close();
});

test('a partner’s open form whose fiche moved and lost an indicator meanwhile: on submit, the refusal and the typing under the new code', async ({
	browser
}) => {
	const { page: partner } = await signedIn(browser, PARTNER, {
		origin: portal.url,
		path: '/espace/fiches/12-1/suivi'
	});
	await partner.getByLabel('Statut de la fiche').selectOption('en_cours');
	await partner.getByLabel('Ce qui a été fait').fill('Fait : texte du partenaire');
	await partner.getByLabel('Prochaines étapes').fill('Prochaines étapes tapées');
	const value = partner.locator('form#suivi input[name$="_value"]').first();
	const name = (await value.getAttribute('name'))!;
	await partner.locator(`[name="${name.replace(/_value$/, '_date')}"]`).fill('2026-11-30');
	await value.fill('4');

	// Meanwhile an admin retires that indicator and moves the fiche to objective 13.
	const admin = await adminPage(browser, '/admin/plan/fiches/12-1');
	await admin.locator('#ind_0_retire').check();
	await admin.getByLabel(/^Objectif/).selectOption({ value: '13' });
	await admin.locator('#reason').fill('Indicateur retiré et fiche rattachée');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText(/^Modifier la fiche 13-\d$/);
	const code = (await admin.getByRole('heading', { level: 1 }).innerText()).split(' ').at(-1)!;

	// The partner submits: refused for the retired indicator, on the fiche's new address, with
	// everything else typed still there (it once came back as a blank form, the refusal lost).
	await partner.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(partner).toHaveURL(`${portal.url}/espace/fiches/${code}/suivi`);
	await partner.waitForLoadState('networkidle');
	const refusal = partner.getByRole('alert');
	await expect(refusal).toContainText('a été retiré du plan le');
	await expect(refusal).toContainText('vous aviez saisi 4');
	await expect(refusal).toBeFocused();
	await expect(partner.getByLabel('Ce qui a été fait')).toHaveValue('Fait : texte du partenaire');
	await expect(partner.getByLabel('Prochaines étapes')).toHaveValue('Prochaines étapes tapées');
	await expect(partner.locator(`[name="${name}"]`)).toHaveCount(0);
	// Sent again, it is submitted, without the retired indicator.
	await partner.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(partner.getByRole('status')).toContainText(
		`Votre mise à jour de la fiche ${code} est soumise à Lot numérique.`
	);
	await partner.context().close();
	await admin.context().close();
});

test('an objective added by mistake is withdrawn from its page: gone from the plan and its data, told in the history', async ({
	browser
}) => {
	const admin = await adminPage(browser, '/admin/plan');
	await admin
		.getByRole('link', { name: 'Ajouter un objectif à l’orientation « Territoire en réseau »' })
		.click();
	// Sent empty: the summary names the refused fields in the page's order.
	await admin.getByRole('button', { name: 'Ajouter l’objectif' }).click();
	const summaryLinks = admin.locator('[data-error-summary]').getByRole('link');
	await expect(summaryLinks).toHaveCount(2);
	await expect(summaryLinks.first()).toContainText('Indiquez l’intitulé');
	await expect(summaryLinks.last()).toContainText('Indiquez en quelques mots');
	await admin.getByLabel('Intitulé', { exact: true }).fill('Objectif saisi par erreur');
	await admin.locator('#reason').fill('Essai de saisie');
	await admin.getByRole('button', { name: 'Ajouter l’objectif' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('Objectif saisi par erreur');
	const number = /l’objectif (\d+)/.exec(
		await admin.getByRole('heading', { level: 1 }).innerText()
	)![1];
	const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await visitor.goto(`${portal.url}/`);
	await expect(visitor.getByRole('heading', { name: /Objectif saisi par erreur/ })).toHaveCount(1);

	// The same page open in another tab, to withdraw it too.
	const otherTab = await admin.context().newPage();
	await otherTab.goto(admin.url());
	// Without a reason: refused in French, the edit form left as it was.
	const section = admin.getByRole('region', { name: 'Retirer l’objectif du plan' });
	await section.getByRole('button', { name: 'Retirer l’objectif du plan' }).click();
	await expect(admin.locator('[data-error-summary]')).toContainText(
		'L’élément n’a pas été retiré du plan'
	);
	await expect(admin.locator('#retrait-reason-error')).toContainText('Indiquez en quelques mots');
	await expect(admin.getByLabel('Intitulé', { exact: true })).toHaveValue(
		'Objectif saisi par erreur'
	);
	await admin.locator('#retrait-reason').fill('Objectif créé par erreur, sans fiche');
	await section.getByRole('button', { name: 'Retirer l’objectif du plan' }).click();
	await expect(admin.locator('main')).toContainText(
		`L’objectif ${number} « Objectif saisi par erreur » a été retiré du plan le`
	);
	await expect(admin.getByRole('button', { name: 'Enregistrer et publier' })).toHaveCount(0);
	await expect(admin.getByRole('region', { name: 'Ses modifications' })).toContainText(
		'Objectif créé par erreur, sans fiche'
	);
	await expectNoAxeViolations(admin);
	await screenshotsAtWidths(admin, plansShot, 'objectif-retire');
	// Withdrawn meanwhile: the other tab's withdrawal leads to the page saying so, no refusal.
	await otherTab.locator('#retrait-reason').fill('Retrait en double');
	await otherTab.getByRole('button', { name: 'Retirer l’objectif du plan' }).click();
	await expect(otherTab.locator('main')).toContainText('a été retiré du plan le');
	await expect(otherTab.locator('[data-error-summary]')).toHaveCount(0);
	await otherTab.close();

	// Listed apart in the admin's plan; an objective with fiches says why it stays.
	await admin.goto(`${portal.url}/admin/plan`);
	await expect(admin.getByRole('region', { name: 'Retirés du plan' })).toContainText(
		`Objectif ${number} « Objectif saisi par erreur », retiré le`
	);
	await admin.getByRole('link', { name: 'Modifier l’objectif 7' }).click();
	await expect(admin.getByRole('region', { name: 'Retirer l’objectif du plan' })).toContainText(
		'porte encore les fiches 7-1, 7-2 et 7-3'
	);
	await expect(admin.getByRole('button', { name: 'Retirer l’objectif du plan' })).toHaveCount(0);

	// Out of the plan's tree; its addition and withdrawal stay in the history.
	await visitor.goto(`${portal.url}/`);
	await expect(visitor.getByRole('heading', { name: /Objectif saisi par erreur/ })).toHaveCount(0);
	await expect(visitor.getByRole('region', { name: 'Historique du plan' })).toContainText(
		`Objectif ${number} « Objectif saisi par erreur » retiré du plan`
	);
	await visitor.goto(`${portal.url}/historique`);
	await expect(visitor.locator('main')).toContainText(
		`Objectif ${number} « Objectif saisi par erreur » retiré du plan`
	);
	const plan = (await (await visitor.request.get(`${portal.url}/donnees/plan.json`)).json()) as {
		objectives: { number: number }[];
	};
	expect(plan.objectives.map((o) => o.number)).not.toContain(Number(number));
});
