import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { signedIn } from './helpers/accounts';
import { waitForHydration } from './helpers/hydration';
import { createAccount, startOwnPortal, type OwnPortal } from './helpers/own-portal';
import { holdRequests, requestsReported } from './helpers/requests';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';

// A form stays based on the record as it was drawn for the person while it holds typing: another
// form's answer on the same page, which reads the page's data again, does not move it onto a
// colleague's save made meanwhile (its send is refused as a conflict, the typing kept), nor
// re-attach a row's typing to another row, nor change what was chosen; the person's own save of
// one form leaves what is typed in the others. Two admins, two commission members, on a portal
// of its own (the fiches and organisations edited here stay as seeded for the rest of the suite).
test.describe.configure({ timeout: 120_000 });

const PASSWORD = 'les vieilles pierres de saint-cirq au matin';
const ADMINS = ['ada', 'bea'].map((name) => ({
	email: `${name}.base@lot-numerique.test`,
	name: `${name[0]!.toUpperCase()}${name.slice(1)} Base`,
	role: 'admin' as const,
	password: PASSWORD
}));
const MEMBERS = ['cleo', 'dora'].map((name) => ({
	email: `${name}.base@lot-numerique.test`,
	name: `${name[0]!.toUpperCase()}${name.slice(1)} Base`,
	role: 'commission' as const,
	password: PASSWORD
}));

/** Two portals, two browsers and up to eight engineers share two cores: answers may take a while. */
const expect = baseExpect.configure({ timeout: 20_000 });

let portal: OwnPortal;

test.beforeAll(async () => {
	portal = await startOwnPortal();
	for (const account of [...ADMINS, ...MEMBERS]) createAccount(portal.databasePath, account);
});
test.afterAll(async () => {
	portal.child.kill('SIGTERM');
	await portal.exited;
});

/** A context of its own signed in as `account`, on `path` of this spec's portal, hydrated. */
async function at(
	browser: Browser,
	account: { email: string; name: string; password: string },
	path: string
) {
	return (await signedIn(browser, account, { path, origin: portal.url })).page;
}

const editForm = (page: Page) => page.locator('form[action="?/enregistrer"]');
const statusForm = (page: Page) => page.locator('form[action="?/statut"]');

/** The second admin's save of the fiche's edit form, with `fill` typed in first. */
async function colleagueSaves(page: Page, fill: (page: Page) => Promise<unknown>) {
	await fill(page);
	await page.locator('#reason').fill('Changement de la collègue');
	await editForm(page).getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(page.getByRole('status')).toContainText('Modifications enregistrées');
}

/** The status form sent without a reason: refused, and the page's data read again. */
async function refusedStatus(page: Page) {
	await page.locator('#new-status').selectOption('suspendue');
	await statusForm(page).getByRole('button', { name: 'Changer le statut' }).click();
	await expect(page.locator('#statut-reason-error')).toBeVisible();
}

/** The edit form sent, refused as a conflict, with the colleague's change named. */
async function refusedAsConflict(page: Page, changed: string | RegExp) {
	await page.locator('#reason').fill('Changement de la première');
	await editForm(page).getByRole('button', { name: 'Enregistrer et publier' }).click();
	const alert = page.getByRole('alert').filter({ hasText: 'a modifié cette fiche' });
	await expect(alert).toBeVisible();
	await expect(alert).toContainText(changed);
}

test('a title typed, then a status changed: saving it over a colleague’s title is a conflict', async ({
	browser
}) => {
	const first = await at(browser, ADMINS[0]!, '/admin/plan/fiches/5-1');
	const second = await at(browser, ADMINS[1]!, '/admin/plan/fiches/5-1');
	await first.locator('#title').fill('Titre de la première');
	await colleagueSaves(second, (page) => page.locator('#title').fill('Titre de la collègue'));

	// The status changed (saved): the page's data read again, the edit form keeps its typing.
	await first.locator('#new-status').selectOption('suspendue');
	await first.locator('#statut-reason').fill('Décision de suspendre');
	await statusForm(first).getByRole('button', { name: 'Changer le statut' }).click();
	await expect(first.getByRole('status')).toContainText('Statut changé');
	await expect(first.locator('#title')).toHaveValue('Titre de la première');

	await refusedAsConflict(first, 'Titre de la collègue');
	await expect(first.locator('#title')).toHaveValue('Titre de la première');
	const stored = await (await first.request.get(`${portal.url}/fiches/5-1`)).text();
	expect(stored).toContain('Titre de la collègue');
});

test('a new indicator typed stays a new row when a colleague adds one meanwhile', async ({
	browser
}) => {
	const first = await at(browser, ADMINS[0]!, '/admin/plan/fiches/1-2');
	const second = await at(browser, ADMINS[1]!, '/admin/plan/fiches/1-2');
	const blank = (await first.locator('fieldset.indicator').count()) - 1;
	await first.locator(`#ind_${blank}_label`).fill('Nombre de tiers-lieux (première)');
	await colleagueSaves(second, (page) =>
		page.locator(`#ind_${blank}_label`).fill('Nombre de communes raccordées (collègue)')
	);

	await refusedStatus(first);
	// The row typed in is still a new one: not the colleague's indicator, renamed on saving.
	await expect(first.locator(`input[name="ind_${blank}_id"]`)).toHaveValue('');
	await expect(first.locator(`#ind_${blank}_label`)).toHaveValue(
		'Nombre de tiers-lieux (première)'
	);
	await refusedAsConflict(first, /Nombre de communes raccordées \(collègue\)/);
	const stored = await (await first.request.get(`${portal.url}/fiches/1-2`)).text();
	expect(stored).toContain('Nombre de communes raccordées (collègue)');
	expect(stored).not.toContain('tiers-lieux (première)');
});

test('an owner chosen stays chosen when a colleague adds another meanwhile', async ({
	browser
}) => {
	const first = await at(browser, ADMINS[0]!, '/admin/plan/fiches/2-1');
	const second = await at(browser, ADMINS[1]!, '/admin/plan/fiches/2-1');
	const names = await first
		.locator('select[name^=owner_][name$=_org]')
		.evaluateAll((selects) =>
			selects.filter((s) => (s as HTMLSelectElement).value === '').map((s) => s.id)
		);
	const blank = `#${names[0]}`;
	await first.locator(blank).selectOption({ index: 5 });
	const chosen = await first.locator(blank).inputValue();
	await colleagueSaves(second, (page) => page.locator(blank).selectOption({ index: 3 }));

	await refusedStatus(first);
	await expect(first.locator(blank)).toHaveValue(chosen);
	await refusedAsConflict(first, 'Porteurs');
});

test('the status and abandon reasons typed stay after the edit form is saved', async ({
	browser
}) => {
	const admin = await at(browser, ADMINS[0]!, '/admin/plan/fiches/9-1');
	await admin.locator('#new-status').selectOption('suspendue');
	await admin.locator('#statut-reason').fill('Raison du statut');
	await admin.locator('#abandon-reason').fill('Raison de l’abandon');
	await admin.locator('#short_title').fill('Titre court de la première');
	await admin.locator('#reason').fill('Titre court');
	await editForm(admin).getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(admin.getByRole('status')).toContainText('Modifications enregistrées');
	await expect(admin.locator('#new-status')).toHaveValue('suspendue');
	await expect(admin.locator('#statut-reason')).toHaveValue('Raison du statut');
	await expect(admin.locator('#abandon-reason')).toHaveValue('Raison de l’abandon');
	// The edit form itself is drawn anew, its reason gone with its save.
	await expect(admin.locator('#reason')).toHaveValue('');

	// Its own save is no conflict: the abandon, based on the version it replaced, moved to the one
	// that save wrote, and goes through.
	await expect(admin.locator('form[action="?/abandonner"] input[name=version]')).toHaveValue(
		await editForm(admin).locator('input[name=version]').inputValue()
	);
	await admin.locator('#abandon-confirm').check();
	await admin.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(admin.getByRole('status')).toContainText('Fiche abandonnée');
});

for (const [held, fiche] of [
	['its answer', '7-3'],
	['the page read again', '8-1']
] as const) {
	test(`the abandon sent while the edit form’s save awaits ${held} is based on that save: no conflict`, async ({
		browser
	}) => {
		const admin = await at(browser, ADMINS[0]!, `/admin/plan/fiches/${fiche}`);
		await admin.locator('#abandon-reason').fill('Raison de l’abandon');
		await admin.locator('#abandon-confirm').check();
		await admin.locator('#short_title').fill('Titre court avant l’abandon');
		await admin.locator('#reason').fill('Titre court');
		// The edit form's save, or the read of the page it leads to, held until released.
		const save = await holdRequests(admin, (url) =>
			held === 'its answer' ? url.search === '?/enregistrer' : url.pathname.endsWith('/__data.json')
		);
		let abandons = 0;
		admin.on('request', (request) => {
			if (request.method() === 'POST' && request.url().endsWith('?/abandonner')) abandons++;
		});
		await editForm(admin).getByRole('button', { name: 'Enregistrer et publier' }).click();
		await expect.poll(save.arrived).toBe(true);
		await admin.getByRole('button', { name: 'Abandonner la fiche' }).click();
		// It waits, shown as sent: nothing typed in it meanwhile is taken. Every request the page
		// sent by now reported, the abandon is not among them (no fixed wait, review #14).
		await expect(admin.locator('form[action="?/abandonner"]')).toHaveAttribute('aria-busy', 'true');
		await requestsReported(admin);
		expect(abandons).toBe(0);
		save.release();
		await expect(admin.getByRole('status')).toContainText('Fiche abandonnée');
		await expect(
			admin.getByRole('alert').filter({ hasText: / a modifié cet|Quelqu’un a modifié/ })
		).toHaveCount(0);
		const stored = await (
			await admin.request.get(`${portal.url}/admin/plan/fiches/${fiche}`)
		).text();
		expect(stored).toContain('Titre court avant l’abandon');
	});
}

test('the abandon sent while the fiche’s save moves it under another objective goes at its new code', async ({
	browser
}) => {
	const admin = await at(browser, ADMINS[0]!, '/admin/plan/fiches/6-1');
	await admin.locator('#abandon-reason').fill('Raison de l’abandon après déplacement');
	await admin.locator('#abandon-confirm').check();
	const objective = admin.locator('#objective');
	const others = await objective
		.locator('option')
		.evaluateAll(
			(options, chosen) =>
				options.map((o) => (o as HTMLOptionElement).value).filter((v) => v && v !== chosen),
			await objective.inputValue()
		);
	await objective.selectOption(others[0]!);
	await admin.locator('#reason').fill('Rattachée à un autre objectif');
	// The save, which leads to the fiche's new code, held while the abandon is pressed.
	const held = await holdRequests(admin, (url) => url.search === '?/enregistrer');
	await editForm(admin).getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect.poll(held.arrived).toBe(true);
	await admin.getByRole('button', { name: 'Abandonner la fiche' }).click();
	await expect(admin.locator('form[action="?/abandonner"]')).toHaveAttribute('aria-busy', 'true');
	held.release();
	// Its own save moved the version on (and the address): the abandon goes with it, not refused.
	await expect(admin.getByRole('status')).toContainText('Fiche abandonnée');
	expect(new URL(admin.url()).pathname).not.toBe('/admin/plan/fiches/6-1');
	await expect(admin.locator('main')).toContainText('Cette fiche est abandonnée');
});

test('« Retirer » pressed while the organisation is merged into another is given back there, with a word', async ({
	browser
}) => {
	const admin = await at(browser, ADMINS[1]!, '/admin/organisations/9');
	await admin.locator('select[name=into]').selectOption({ index: 1 });
	const into = await admin.locator('select[name=into]').inputValue();
	await admin.locator('#fusion-reason').fill('Organisations regroupées');
	await admin.locator('#fusion-confirm').check();
	const held = await holdRequests(admin, (url) => url.search === '?/fusionner');
	await admin.getByRole('button', { name: 'Fusionner' }).click();
	await expect.poll(held.arrived).toBe(true);
	await admin.locator('#retrait-reason').fill('Retrait pressé pendant la fusion');
	await admin.getByRole('button', { name: 'Retirer l’organisation' }).click();
	await expect(admin.locator('form[action="?/retirer"]')).toHaveAttribute('aria-busy', 'true');
	held.release();
	// The merge leads to the organisation that stays: its own « Retirer » is not this one's.
	await expect(admin).toHaveURL(new RegExp(`/admin/organisations/${into}`));
	await expect(admin.locator('form[action="?/retirer"]')).toContainText(
		'Rien n’a été envoyé pour « Retirer l’organisation »'
	);
	await expect(admin.locator('main')).not.toContainText('Organisation retirée');
});

// Review s58: a form gone with its page showed back every value it held, the organisation's name
// the page had filled in among them, none said to be which field's.
test('an edit pressed while the organisation is merged shows back only what was typed, each after its label', async ({
	browser
}) => {
	const admin = await at(browser, ADMINS[0]!, '/admin/organisations/10');
	const name = await admin.locator('#name').inputValue();
	expect(name).not.toBe('');
	await admin.locator('select[name=into]').selectOption({ index: 1 });
	await admin.locator('#fusion-reason').fill('Organisations regroupées');
	await admin.locator('#fusion-confirm').check();
	const held = await holdRequests(admin, (url) => url.search === '?/fusionner');
	await admin.getByRole('button', { name: 'Fusionner' }).click();
	await expect.poll(held.arrived).toBe(true);
	const edit = admin.locator('form[action="?/modifier"]');
	await admin.locator('#full_name').fill('Nom complet tapé pendant la fusion');
	await admin.locator('#reason').fill('Nom complet précisé');
	await edit.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(edit).toHaveAttribute('aria-busy', 'true');
	held.release();
	const alert = admin
		.getByRole('alert')
		.filter({ hasText: 'Votre saisie, qui n’a pas été envoyée' });
	await expect(alert).toContainText('Rien n’a été envoyé pour « Enregistrer »');
	// The name, which the page filled in and nobody typed, is not among them.
	await expect(alert.locator('.typed-text')).toHaveText([
		'Nom complet tapé pendant la fusion',
		'Nom complet précisé'
	]);
	await expect(alert.locator('p').filter({ has: admin.locator('.typed-text') })).toHaveText([
		'Nom complet\u00a0: Nom complet tapé pendant la fusion',
		'Raison de la modification\u00a0: Nom complet précisé'
	]);
});

/** A colleague merges organisation `id` into the first other one offered; that one's name. */
async function colleagueMerges(browser: Browser, id: number): Promise<string> {
	const merger = await at(browser, ADMINS[0]!, `/admin/organisations/${id}`);
	await merger.locator('select[name=into]').selectOption({ index: 1 });
	const into = (await merger.locator('select[name=into] option:checked').textContent())!.trim();
	await merger.locator('#fusion-reason').fill('Organisations regroupées');
	await merger.locator('#fusion-confirm').check();
	await merger.getByRole('button', { name: 'Fusionner' }).click();
	await expect(merger.getByRole('status')).toContainText('Fusion enregistrée');
	return into;
}

// Review of authoring: a rename sent after a colleague merged the organisation was refused (409)
// with nothing said, its form gone with the name typed, with or without script.
for (const javaScriptEnabled of [true, false])
	test(`a rename sent after a colleague’s merge says where it went, and the name typed (script: ${javaScriptEnabled})`, async ({
		browser
	}) => {
		const id = javaScriptEnabled ? 11 : 12;
		const { page: renamer } = await signedIn(browser, ADMINS[1]!, {
			path: `/admin/organisations/${id}`,
			origin: portal.url,
			javaScriptEnabled
		});
		const name = await renamer.locator('h1').textContent();
		await renamer.locator('#name').fill('Nom tapé pendant la fusion');
		await renamer.locator('#reason').fill('Nouveau nom');
		const into = await colleagueMerges(browser, id);
		await renamer.getByRole('button', { name: 'Enregistrer', exact: true }).click();
		const alert = renamer.getByRole('alert').filter({ hasText: 'a été fusionnée dans' });
		await expect(alert).toContainText(
			`L’organisation « ${name} » a été fusionnée dans « ${into} » le`
		);
		await expect(alert).toContainText('Rien n’a été enregistré');
		await expect(alert).toContainText('Le nom saisi était « Nom tapé pendant la fusion ».');
	});

/** A new objective of its own (no fiche: it may be retired), its page open for `account`. */
async function newObjective(browser: Browser, account: (typeof ADMINS)[number], label: string) {
	const admin = await at(browser, account, '/admin/plan');
	await admin
		.getByRole('link', { name: 'Ajouter un objectif à l’orientation « Territoire en réseau »' })
		.click();
	await admin.getByLabel('Intitulé', { exact: true }).fill(label);
	await admin.locator('#reason').fill('Essai de saisie');
	await admin.getByRole('button', { name: 'Ajouter l’objectif' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText(label);
	await waitForHydration(admin);
	return admin;
}

test('« Retirer » sent while the objective’s save is under way goes once that save is drawn, with its version', async ({
	browser
}) => {
	const admin = await newObjective(browser, ADMINS[0]!, 'Objectif retiré en attendant');
	const retireSection = admin.getByRole('region', { name: 'Retirer l’objectif du plan' });
	await admin.getByLabel('Intitulé', { exact: true }).fill('Objectif renommé puis retiré');
	await admin.locator('#reason').fill('Intitulé précisé');
	const held = await holdRequests(admin, (url) => url.search === '?/enregistrer');
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect.poll(held.arrived).toBe(true);
	await admin.locator('#retrait-reason').fill('Objectif en double');
	await retireSection.getByRole('button', { name: 'Retirer l’objectif du plan' }).click();
	await expect(admin.locator('form[action="?/retirer"]')).toHaveAttribute('aria-busy', 'true');
	held.release();
	// The save's redirect draws both forms anew (keyed on the version): the retire still goes.
	await expect(admin.locator('main')).toContainText('a été retiré du plan le');
	await expect(
		admin.getByRole('alert').filter({ hasText: / a modifié cet|Quelqu’un a modifié/ })
	).toHaveCount(0);
	await expect(admin.getByRole('region', { name: 'Ses modifications' })).toContainText(
		'Objectif en double'
	);
	await expect(admin.getByRole('heading', { level: 1 })).toContainText(
		'Objectif renommé puis retiré'
	);
});

test('« Retirer » waiting for a save read again after a colleague’s goes with the version pressed: refused', async ({
	browser
}) => {
	const admin = await newObjective(browser, ADMINS[0]!, 'Objectif changé par une collègue');
	const retireSection = admin.getByRole('region', { name: 'Retirer l’objectif du plan' });
	await admin.getByLabel('Intitulé', { exact: true }).fill('Objectif renommé par la première');
	await admin.locator('#reason').fill('Intitulé précisé');
	// The save lands; the read of the page it leads to is held while the retire waits for it.
	const read = await holdRequests(admin, (url) => url.pathname.endsWith('/__data.json'));
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect.poll(read.arrived).toBe(true);
	await admin.locator('#retrait-reason').fill('Objectif en double selon la première');
	await retireSection.getByRole('button', { name: 'Retirer l’objectif du plan' }).click();
	await expect(admin.locator('form[action="?/retirer"]')).toHaveAttribute('aria-busy', 'true');
	// Meanwhile a colleague saves the objective, after the first one's save.
	const colleague = await at(browser, ADMINS[1]!, new URL(admin.url()).pathname);
	await colleague.locator('#synthesis_label').fill('Synthèse de la collègue');
	await colleague.locator('#reason').fill('Synthèse ajoutée');
	await colleague.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(colleague.getByRole('status')).toContainText('Modification enregistrée');
	read.release();
	// The page read shows the colleague's version: the retire, pressed on the first one's own, is
	// not moved onto it unseen. Refused, its reason kept; the colleague's change shown.
	await expect(
		admin.getByRole('alert').filter({ hasText: 'Quelqu’un a modifié cet élément du plan' })
	).toBeVisible();
	await expect(admin.locator('main')).not.toContainText('a été retiré du plan le');
	await expect(admin.locator('#retrait-reason')).toHaveValue(
		'Objectif en double selon la première'
	);
	await expect(admin.locator('#synthesis_label')).toHaveValue('Synthèse de la collègue');
	await colleague.reload();
	await expect(colleague.getByRole('region', { name: 'Retirer l’objectif du plan' })).toBeVisible();
});

test('« Retirer » waiting for a save whose page cannot be read again is not sent: given back', async ({
	browser
}) => {
	const admin = await newObjective(browser, ADMINS[1]!, 'Objectif relu en vain');
	const retireSection = admin.getByRole('region', { name: 'Retirer l’objectif du plan' });
	await admin.getByLabel('Intitulé', { exact: true }).fill('Objectif renommé, page non relue');
	await admin.locator('#reason').fill('Intitulé précisé');
	// The page's data after the save fails (503) once the retire waits for it.
	let retireWaits = () => {};
	const waiting = new Promise<void>((resolve) => (retireWaits = resolve));
	let retireSent = false;
	await admin.route(
		(url) => url.pathname.endsWith('/__data.json') || url.search === '?/retirer',
		async (route) => {
			if (new URL(route.request().url()).search === '?/retirer') {
				retireSent = true;
				return route.continue();
			}
			await waiting;
			await route.fulfill({ status: 503, body: 'indisponible' });
		}
	);
	await admin.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await admin.locator('#retrait-reason').fill('Objectif en double, non envoyé');
	await retireSection.getByRole('button', { name: 'Retirer l’objectif du plan' }).click();
	await expect(admin.locator('form[action="?/retirer"]')).toHaveAttribute('aria-busy', 'true');
	retireWaits();
	await expect(admin.locator('form[action="?/enregistrer"]')).toContainText(
		'Enregistré. La page n’a pas pu être relue'
	);
	const retire = admin.locator('form[action="?/retirer"]');
	await expect(retire).toContainText('Rien n’a été envoyé');
	await expect(retire).not.toHaveAttribute('aria-busy');
	await expect(admin.locator('#retrait-reason')).toHaveValue('Objectif en double, non envoyé');
	await expect(admin.locator('#retrait-reason')).toBeEditable();
	expect(retireSent).toBe(false);
	await expect(
		admin.getByRole('alert').filter({ hasText: / a modifié cet|Quelqu’un a modifié/ })
	).toHaveCount(0);
});

test('an organisation’s full name typed, then « Retirer » refused: saving it is a conflict', async ({
	browser
}) => {
	const first = await at(browser, ADMINS[0]!, '/admin/organisations/5');
	const second = await at(browser, ADMINS[1]!, '/admin/organisations/5');
	await first.locator('#full_name').fill('Nom complet de la première');
	await second.locator('#full_name').fill('Nom complet de la collègue');
	await second.locator('#reason').fill('Nom complet');
	await second.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(second.getByRole('status')).toContainText('Modification enregistrée');

	await first.getByRole('button', { name: 'Retirer l’organisation' }).click();
	await expect(first.locator('#retrait-reason-error')).toBeVisible();
	await expect(first.locator('#full_name')).toHaveValue('Nom complet de la première');
	await first.locator('#reason').fill('Nom complet');
	await first.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(
		first.getByRole('alert').filter({ hasText: 'Bea Base a modifié cette organisation le ' })
	).toBeVisible();
	await expect(first.locator('#full_name')).toHaveValue('Nom complet de la première');
	await first.goto(`${portal.url}/admin/organisations/5`);
	await expect(first.locator('#full_name')).toHaveValue('Nom complet de la collègue');
});

test('the retrait reason typed stays after the organisation is saved', async ({ browser }) => {
	const admin = await at(browser, ADMINS[0]!, '/admin/organisations/6');
	await admin.locator('#retrait-reason').fill('Raison du retrait');
	await admin.locator('#full_name').fill('Nom complet nouveau');
	await admin.locator('#reason').fill('Nom complet');
	await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(admin.getByRole('status')).toContainText('Modification enregistrée');
	await expect(admin.locator('#retrait-reason')).toHaveValue('Raison du retrait');
	// Based on the version its own save replaced, it moved to the one that save wrote: no conflict.
	const version = admin.locator('form[action="?/modifier"] input[name=version]');
	await expect(admin.locator('form[action="?/retirer"] input[name=version]')).toHaveValue(
		await version.inputValue()
	);
});

test('a séance’s correction typed stays open and based on the séance as drawn', async ({
	browser
}) => {
	const first = await at(browser, MEMBERS[0]!, '/commission');
	const created = await first.request.post(`${portal.url}/commission?/create`, {
		form: { held_on: daysAfter(parisToday(), 30), place: 'Cahors', title: 'Commission corrigée' },
		headers: { origin: portal.url, accept: 'text/html' },
		maxRedirects: 0
	});
	const path = /\/commission\/seances\/\d+/.exec(created.headers().location ?? '')![0];
	await first.goto(`${portal.url}${path}`);
	await waitForHydration(first);
	const second = await at(browser, MEMBERS[1]!, path);
	const correction = (page: Page) => page.locator('details:has(form[action="?/edit"])');
	await correction(first).locator('summary').click();
	await correction(first).locator('#place').fill('Figeac, salle du conseil');
	await correction(second).locator('summary').click();
	await correction(second).locator('#place').fill('Souillac, espace culturel');
	await correction(second).getByRole('button').click();
	await expect(second.getByRole('status').first()).toBeVisible();

	await first.locator('input[name=guest_name]').fill('Marie Invitée');
	await first.locator('form:has(input[name=guest_name]) button').click();
	await expect(first.getByText('Marie Invitée').first()).toBeVisible();
	// Still open, the place typed in view.
	await expect(correction(first)).toHaveJSProperty('open', true);
	await expect(correction(first).locator('#place')).toHaveValue('Figeac, salle du conseil');
	await correction(first).getByRole('button').click();
	await expect(first.getByText(/Quelqu’un a corrigé cette séance/)).toBeVisible();
	await expect(correction(first).locator('#place')).toHaveValue('Figeac, salle du conseil');
});

test('a row’s form waiting for a save that took it off the list is not sent: never another row’s', async ({
	browser
}) => {
	const account = {
		email: 'zoe.rangee@lot-numerique.test',
		name: 'Zoé Rangée',
		role: 'commission' as const,
		password: PASSWORD
	};
	createAccount(portal.databasePath, account);
	const admin = await at(browser, ADMINS[0]!, '/admin/utilisateurs');
	const row = admin.getByRole('row').filter({ hasText: account.email });
	const invite = row.locator('form[action="?/invite"]');
	// Another row's form of the same action comes first on the page.
	const first = admin.locator('main form[action="?/invite"]').first();
	expect(await first.locator('input[name=userId]').inputValue()).not.toBe(
		await invite.locator('input[name=userId]').inputValue()
	);
	let invitations = 0;
	admin.on('request', (request) => {
		if (request.method() === 'POST' && request.url().endsWith('?/invite')) invitations++;
	});
	// « Désactiver » held; the link of a new password pressed meanwhile waits for it.
	const held = await holdRequests(admin, (url) => url.search === '?/disable');
	await row.getByRole('button', { name: `Désactiver ${account.email}` }).click();
	await expect.poll(held.arrived).toBe(true);
	await row
		.getByRole('button', { name: `Envoyer un lien de nouveau mot de passe à ${account.email}` })
		.click();
	await expect(invite).toHaveAttribute('aria-busy', 'true');
	held.release();
	// Disabled, the account offers no link any more: nothing is sent, and the row says so.
	await expect(admin.getByRole('status')).toContainText('est désactivé');
	const alert = row.getByRole('alert');
	await expect(alert).toContainText(
		`Rien n’a été envoyé pour « Envoyer un lien de nouveau mot de passe à ${account.email} »`
	);
	await expect(alert).toContainText('ne propose plus ce formulaire');
	await expect(alert).toBeFocused();
	await expect(invite).toHaveCount(0);
	// Every request the page sent by now reported: the link's was never among them.
	await requestsReported(admin);
	expect(invitations).toBe(0);
	await expect(admin.locator('main')).not.toContainText('Lien de nouveau mot de passe créé');
});

for (const [button, refusal] of [
	['Révoquer l’invitation de', 'rien n’a été révoqué'],
	['Renvoyer l’invitation à', 'rien n’a été envoyé, et ce lien reste valable']
] as const) {
	test(`« ${button} … » waiting for another row’s save goes with the invitation it showed: a colleague’s sent meanwhile stays`, async ({
		browser
	}) => {
		const tag = button.startsWith('Révoquer') ? 'revoque' : 'renvoye';
		const other = {
			email: `yann.${tag}@lot-numerique.test`,
			name: 'Yann Autre',
			role: 'commission' as const,
			password: PASSWORD
		};
		createAccount(portal.databasePath, other);
		const email = `marc.${tag}@lot-numerique.test`;
		const admin = await at(browser, ADMINS[0]!, '/admin/utilisateurs');
		await admin.getByLabel('Adresse électronique').fill(email);
		await admin.getByLabel('Nom et prénom').fill('Marc Invité');
		await admin.getByLabel('Rôle').selectOption('commission');
		await admin.getByRole('button', { name: 'Créer le compte et le lien d’invitation' }).click();
		await expect(admin.getByRole('status')).toContainText('Invitation créée');
		const colleague = await at(browser, ADMINS[1]!, '/admin/utilisateurs');
		const row = admin.getByRole('row').filter({ hasText: email });
		const shown = await row.locator('input[name=shownUntil]').first().inputValue();

		// « Désactiver » of another account held; the invitation's button pressed meanwhile waits.
		const held = await holdRequests(admin, (url) => url.search === '?/disable');
		await admin.getByRole('button', { name: `Désactiver ${other.email}` }).click();
		await expect.poll(held.arrived).toBe(true);
		const pressed = row.getByRole('button', { name: `${button} ${email}` });
		await pressed.click();
		await expect(row.locator('form[aria-busy="true"]')).toHaveCount(1);
		// Meanwhile the colleague sends the invitation again: a new link, open until later.
		await colleague.getByRole('button', { name: `Renvoyer l’invitation à ${email}` }).click();
		await expect(colleague.getByRole('status')).toContainText('Invitation créée');
		held.release();

		// Read again after the save, the row shows the colleague's invitation; the form pressed on
		// the one shown before goes as pressed, and is refused: the colleague's link stays.
		await expect(admin.getByRole('alert').filter({ hasText: refusal })).toBeVisible();
		await expect(row).toContainText('invitation en attente');
		await expect(row.locator('input[name=shownUntil]').first()).not.toHaveValue(shown);
		await expect(admin.getByRole('row').filter({ hasText: other.email })).toContainText(
			'désactivé'
		);
		await expect(admin.locator('main')).not.toContainText('Invitation créée');
	});
}

test('« Révoquer l’invitation » pressed while one’s own « Renvoyer l’invitation » of the same account is under way revokes the link just sent', async ({
	browser
}) => {
	const email = 'lea.revoquee@lot-numerique.test';
	const admin = await at(browser, ADMINS[0]!, '/admin/utilisateurs');
	await admin.getByLabel('Adresse électronique').fill(email);
	await admin.getByLabel('Nom et prénom').fill('Léa Révoquée');
	await admin.getByLabel('Rôle').selectOption('commission');
	await admin.getByRole('button', { name: 'Créer le compte et le lien d’invitation' }).click();
	await expect(admin.getByRole('status')).toContainText('Invitation créée');
	const row = admin.getByRole('row').filter({ hasText: email });
	// « Renvoyer » held; « Révoquer » of the same account pressed meanwhile waits for it.
	const held = await holdRequests(admin, (url) => url.search === '?/invite');
	await row.getByRole('button', { name: `Renvoyer l’invitation à ${email}` }).click();
	await expect.poll(held.arrived).toBe(true);
	await row.getByRole('button', { name: `Révoquer l’invitation de ${email}` }).click();
	await expect(row.locator('form[action="?/revoke"]')).toHaveAttribute('aria-busy', 'true');
	held.release();
	// The invitation it shows changed by the person's own save only: revoked, no colleague blamed.
	await expect(admin.getByRole('status')).toContainText(
		`L’invitation de ${email} est révoquée : son lien ne sert plus.`
	);
	await expect(row).toContainText('invitation révoquée ou expirée');
	await expect(admin.locator('main')).not.toContainText('par un autre administrateur');
});

test('« Révoquer l’invitation » waiting for one’s own « Renvoyer l’invitation », a colleague’s sent before the page is read again: refused', async ({
	browser
}) => {
	const email = 'noe.renvoye@lot-numerique.test';
	const admin = await at(browser, ADMINS[0]!, '/admin/utilisateurs');
	await admin.getByLabel('Adresse électronique').fill(email);
	await admin.getByLabel('Nom et prénom').fill('Noé Renvoyé');
	await admin.getByLabel('Rôle').selectOption('commission');
	await admin.getByRole('button', { name: 'Créer le compte et le lien d’invitation' }).click();
	await expect(admin.getByRole('status')).toContainText('Invitation créée');
	const row = admin.getByRole('row').filter({ hasText: email });
	// The read of the page after « Renvoyer » held: the colleague, drawing the page after that
	// save, sends the link again meanwhile.
	const held = await holdRequests(admin, (url) => url.pathname.endsWith('/__data.json'));
	await row.getByRole('button', { name: `Renvoyer l’invitation à ${email}` }).click();
	await expect.poll(held.arrived).toBe(true);
	await row.getByRole('button', { name: `Révoquer l’invitation de ${email}` }).click();
	await expect(row.locator('form[action="?/revoke"]')).toHaveAttribute('aria-busy', 'true');
	const colleague = await at(browser, ADMINS[1]!, '/admin/utilisateurs');
	await colleague.getByRole('button', { name: `Renvoyer l’invitation à ${email}` }).click();
	await expect(colleague.getByRole('status')).toContainText('Invitation créée');
	held.release();
	// The page read again shows the colleague's link, not the one the person sent: not revoked.
	await expect(admin.getByRole('alert').filter({ hasText: 'rien n’a été révoqué' })).toBeVisible();
	await expect(row).toContainText('invitation en attente');
});

test('a row’s form given back while the person types in another form leaves the focus there', async ({
	browser
}) => {
	const account = {
		email: 'theo.tapant@lot-numerique.test',
		name: 'Théo Tapant',
		role: 'commission' as const,
		password: PASSWORD
	};
	createAccount(portal.databasePath, account);
	const admin = await at(browser, ADMINS[0]!, '/admin/utilisateurs');
	const row = admin.getByRole('row').filter({ hasText: account.email });
	const held = await holdRequests(admin, (url) => url.search === '?/disable');
	await row.getByRole('button', { name: `Désactiver ${account.email}` }).click();
	await expect.poll(held.arrived).toBe(true);
	await row
		.getByRole('button', { name: `Envoyer un lien de nouveau mot de passe à ${account.email}` })
		.click();
	await expect(row.locator('form[action="?/invite"]')).toHaveAttribute('aria-busy', 'true');
	// Meanwhile the person moves on to the new account's form, and types there.
	const email = admin.locator('form[action="?/create"] #email');
	await email.click();
	await admin.keyboard.type('jeanne');
	held.release();
	// The disabling saved, the link's form gone: said in the row, the focus left where it was (not
	// taken by the alert, nor by the save's confirmation), the next keys landing there too.
	await expect(row.getByRole('alert')).toContainText('Rien n’a été envoyé');
	await expect(admin.getByRole('status')).toContainText('est désactivé');
	await expect(email).toBeFocused();
	await admin.keyboard.type('@figeac.fr');
	await expect(email).toHaveValue('jeanne@figeac.fr');
});

test('a field left for blank page space while a form is sent does not take the focus back with the answer', async ({
	browser
}) => {
	const account = {
		email: 'ines.ailleurs@lot-numerique.test',
		name: 'Inès Ailleurs',
		role: 'commission' as const,
		password: PASSWORD
	};
	createAccount(portal.databasePath, account);
	const admin = await at(browser, ADMINS[0]!, '/admin/utilisateurs');
	const row = admin.getByRole('row').filter({ hasText: account.email });
	const held = await holdRequests(admin, (url) => url.search === '?/disable');
	await row.getByRole('button', { name: `Désactiver ${account.email}` }).click();
	await expect.poll(held.arrived).toBe(true);
	// Meanwhile the person clicks in the new account's form, then on blank page space (the margin):
	// the focus goes to the page's body, with no field to follow.
	const email = admin.locator('form[action="?/create"] #email');
	await email.click();
	await admin.mouse.click(3, 400);
	await expect
		.poll(() => admin.evaluate(() => document.activeElement === document.body))
		.toBe(true);
	held.release();
	await expect(admin.getByRole('status')).toContainText('est désactivé');
	// The answer's confirmation takes the focus, as it would have without the detour through the
	// field: not the field the person left.
	await expect(admin.getByRole('status')).toBeFocused();
	await admin.keyboard.type('x');
	await expect(email).toHaveValue('');
});
