import type { Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs, signedIn } from './helpers/accounts';
import { waitForHydration } from './helpers/hydration';
import { openCampaignFromPage } from './helpers/campaigns';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';

/**
 * What is typed while a form is sent, or while its refusal reads the page's data again, is never
 * lost nor taken for saved (src/lib/client/enhance-once/, holdFields and readingPageData;
 * src/lib/client/unsaved-typing.ts), and every form of typing asks before the page is left.
 */

const LEAVE_QUESTION = 'Votre saisie n’est pas enregistrée. Quitter cette page et la perdre ?';

/** Holds the requests `matching` until the returned function is called. */
async function hold(page: Page, url: string, matching: (method: string) => boolean) {
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	let arrived = false;
	await page.route(url, async (route) => {
		if (!matching(route.request().method())) return route.continue();
		arrived = true;
		await held;
		await route.continue();
	});
	return { release, arrived: () => arrived };
}

/** Clicks the header's link to `href` and says which question, if any, was asked. */
async function leaveAsked(page: Page, href: string): Promise<string | null> {
	let asked: string | null = null;
	page.once('dialog', (dialog) => {
		asked = dialog.message();
		dialog.dismiss().catch(() => {});
	});
	await page.locator(`header a[href="${href}"]`).first().click();
	await expect
		.poll(() => asked, { timeout: 3000 })
		.not.toBeNull()
		.catch(() => {});
	return asked;
}

test('typing while a save is sent is not taken: the fields are read-only until the answer is shown, then what was sent is the saved reference', async ({
	browser
}) => {
	const { page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin/plan/objectifs/3' });
	const form = page.locator('form[action="?/enregistrer"]');
	const sending = await hold(page, '**/admin/plan/objectifs/3**', (method) => method === 'POST');
	const parent = await page.locator('#parent').inputValue();
	await page.locator('#synthesis_label').fill('Synthèse envoyée');
	await page.locator('#reason').fill('Intitulé de synthèse');
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect.poll(sending.arrived).toBe(true);
	await expect(form).toHaveAttribute('aria-busy', 'true');
	// Held as sent, shown so: the person's keys do nothing, nor does a list change.
	await expect(page.locator('#synthesis_label')).toHaveAttribute('data-sending');
	await expect(page.locator('#synthesis_label')).not.toBeEditable();
	await page.locator('#synthesis_label').click();
	await page.keyboard.type(' tapée pendant l’envoi');
	await expect(page.locator('#synthesis_label')).toBeFocused();
	await page.locator('#parent').focus();
	await page.keyboard.press('ArrowDown');
	await expect(page.locator('#parent')).toHaveValue(parent);
	sending.release();
	await expect(page.getByRole('status')).toContainText('Modification enregistrée');
	await expect(form).not.toHaveAttribute('aria-busy');
	await expect(page.locator('#synthesis_label')).toHaveValue('Synthèse envoyée');
	await expect(page.locator('#synthesis_label')).toBeEditable();
	await expect(page.locator('#synthesis_label')).not.toHaveAttribute('data-sending');
	// Saved: nothing to ask; typed again, asked.
	expect(await leaveAsked(page, '/admin')).toBeNull();
	await page.goto('/admin/plan/objectifs/3');
	await waitForHydration(page);
	await expect(page.locator('#synthesis_label')).toHaveValue('Synthèse envoyée');
	await page.locator('#synthesis_label').fill('Synthèse retouchée');
	expect(await leaveAsked(page, '/admin')).toBe(LEAVE_QUESTION);
	await page.context().close();
});

test('the partner’s draft: typing while it is sent is not taken, so never left on screen as if saved', async ({
	browser
}) => {
	const { page } = await signedIn(browser, ACCOUNTS.partner, { path: '/espace' });
	await page.locator('main a[href$="/suivi"]').first().click();
	await waitForHydration(page);
	const path = new URL(page.url()).pathname;
	const sending = await hold(page, `**${path}**`, (method) => method === 'POST');
	await page.locator('#done').fill('Fait avant l’envoi');
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect.poll(sending.arrived).toBe(true);
	await page.locator('#next_steps').click();
	await page.keyboard.type('tapé pendant l’envoi');
	await expect(page.locator('#next_steps')).toHaveValue('');
	sending.release();
	await expect(page.locator('form[aria-busy]')).toHaveCount(0);
	await expect(page.locator('#done')).toHaveValue('Fait avant l’envoi');
	expect(await leaveAsked(page, '/espace')).toBeNull();
	await page.context().close();
});

test('after a conflict, typing while the page’s data is read again is not taken: the form stays as sent, its typing still to be saved', async ({
	browser
}) => {
	const { page: other } = await signedIn(browser, ACCOUNTS.admin, {
		path: '/admin/plan/objectifs/2'
	});
	const { page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin/plan/objectifs/2' });
	await other.locator('#label').fill(`${await other.locator('#label').inputValue()} (B)`);
	await other.locator('#reason').fill('Changement de B');
	await other.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(other.getByRole('status')).toContainText('Modification enregistrée');

	const reading = await hold(page, '**/admin/plan/objectifs/2/__data.json**', () => true);
	await page.locator('#label').fill('Intitulé de A');
	await page.locator('#reason').fill('Raison de A');
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect.poll(reading.arrived).toBe(true);
	await expect(page.locator('form[action="?/enregistrer"]')).toHaveAttribute('aria-busy', 'true');
	await page.locator('#label').click();
	await page.keyboard.type(' et encore');
	await expect(page.locator('#label')).toHaveValue('Intitulé de A');
	reading.release();
	await expect(page.getByRole('alert').first()).toContainText('rien n’a été enregistré');
	await expect(page.locator('form[aria-busy]')).toHaveCount(0);
	await expect(page.locator('#label')).toHaveValue('Intitulé de A');
	await expect(page.locator('#reason')).toHaveValue('Raison de A');
	await expect(page.locator('#label')).toBeEditable();
	expect(await leaveAsked(page, '/admin')).toBe(LEAVE_QUESTION);
	await other.context().close();
	await page.context().close();
});

type ReadFailure = 'aborted' | '503';

/** Every read of the page's data (`__data.json`) fails as `failure` says, until unrouted. */
async function failPageData(page: Page, failure: ReadFailure): Promise<void> {
	await page.route('**/__data.json**', (route) =>
		failure === 'aborted'
			? route.abort()
			: route.fulfill({ status: 503, body: 'Service indisponible', contentType: 'text/plain' })
	);
}

/** Marks the page's window: `reloaded()` then says whether the page was loaded anew since. */
async function watchReload(page: Page): Promise<{ reloaded: () => Promise<boolean> }> {
	await page.evaluate(() => Object.assign(window, { notReloaded: true }));
	return {
		reloaded: () => page.evaluate(() => !('notReloaded' in window))
	};
}

for (const failure of ['aborted', '503'] as const) {
	test(`a refusal whose page’s data cannot be read again (${failure}) keeps the page and its typing, with a French alert, and asks before leaving`, async ({
		browser
	}) => {
		const { page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin/plan/objectifs/5' });
		const loads: string[] = [];
		page.on('framenavigated', (frame) => {
			if (frame === page.mainFrame()) loads.push(frame.url());
		});
		await failPageData(page, failure);
		await page.locator('#label').fill('');
		await page.locator('#synthesis_label').fill('Synthèse A');
		await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
		const alert = page.locator('[data-send-failed]');
		await expect(alert).toContainText('la page n’a pas pu être relue');
		await expect(alert).toContainText('votre saisie est conservée');
		await expect(alert).toBeFocused();
		await expect(page.locator('form[aria-busy]')).toHaveCount(0);
		await expect(page.locator('#synthesis_label')).toHaveValue('Synthèse A');
		await expect(page.locator('#synthesis_label')).toBeEditable();
		// The page was not reloaded (SvelteKit's fallback, the typing lost).
		expect(loads).toEqual([]);
		await page.unroute('**/__data.json**');
		expect(await leaveAsked(page, '/admin')).toBe(LEAVE_QUESTION);
		// The read left unanswered holds nothing up: corrected and sent again, the form saves.
		await page.locator('#label').fill(`Objectif 5 relu (${failure})`);
		await page.locator('#reason').fill('Intitulé relu');
		await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
		await expect(page.getByRole('status')).toContainText('Modification enregistrée');
		await expect(page.locator('#synthesis_label')).toHaveValue('Synthèse A');
		expect(await leaveAsked(page, '/admin')).toBeNull();
		await page.context().close();
	});
}

for (const failure of ['aborted', '503'] as const) {
	test(`a save that leads to its page again, whose page’s data cannot be read (${failure}), is said, the page kept with the other forms’ typing`, async ({
		browser
	}) => {
		const { page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin/plan/fiches/4-1' });
		const load = await watchReload(page);
		await page.locator('#new-status').selectOption('suspendue');
		await page.locator('#statut-reason').fill('Raison du statut');
		await page.locator('#abandon-reason').fill('Raison de l’abandon');
		const shortTitle = `Titre court relu (${failure})`;
		await page.locator('#short_title').fill(shortTitle);
		await page.locator('#reason').fill('Titre court');
		await failPageData(page, failure);
		await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
		const alert = page.locator('form[action="?/enregistrer"] [data-send-failed]');
		await expect(alert).toContainText('Enregistré. La page n’a pas pu être relue');
		await expect(alert).toContainText('rechargez-la');
		await expect(alert).toBeFocused();
		await expect(page.locator('form[aria-busy]')).toHaveCount(0);
		expect(await load.reloaded()).toBe(false);
		// What was saved stays shown; the other forms keep what is typed in them.
		await expect(page.locator('#short_title')).toHaveValue(shortTitle);
		await expect(page.locator('#short_title')).toBeEditable();
		await expect(page.locator('#new-status')).toHaveValue('suspendue');
		await expect(page.locator('#statut-reason')).toHaveValue('Raison du statut');
		await expect(page.locator('#abandon-reason')).toHaveValue('Raison de l’abandon');
		await page.unroute('**/__data.json**');
		// Reloading, or leaving, asks first: the status and abandon reasons are not saved.
		expect(await leaveAsked(page, '/admin')).toBe(LEAVE_QUESTION);
		const stored = await (await page.request.get('/admin/plan/fiches/4-1')).text();
		expect(stored).toContain(shortTitle);
		await page.context().close();
	});

	test(`a save that stays on the page, whose page’s data cannot be read (${failure}), gives the form back, with a French alert`, async ({
		browser
	}) => {
		const api = await apiAs(ACCOUNTS.commission);
		const created = await api.post('/commission?/create', {
			form: { held_on: '2027-03-17', place: 'Gourdon', title: `Séance non relue (${failure})` },
			maxRedirects: 0
		});
		const id = /seances\/(\d+)/.exec(created.headers().location ?? '')?.[1];
		await api.dispose();
		const { page } = await signedIn(browser, ACCOUNTS.commission, {
			path: `/commission/seances/${id}`
		});
		const load = await watchReload(page);
		await page.locator('#free-title').fill('Point libre tapé');
		await failPageData(page, failure);
		await page.locator('input[name="guest_name"]').fill('Marie Invitée');
		await page.getByRole('button', { name: 'Ajouter l’invité' }).click();
		const alert = page.locator('form[action="?/addGuest"] [data-send-failed]');
		await expect(alert).toContainText('Enregistré. La page n’a pas pu être relue');
		await expect(page.locator('form[aria-busy]')).toHaveCount(0);
		await expect(page.locator('input[name="guest_name"]')).toBeEditable();
		await expect(page.getByRole('button', { name: 'Ajouter l’invité' })).not.toHaveAttribute(
			'data-sending'
		);
		expect(await load.reloaded()).toBe(false);
		await expect(page.locator('#free-title')).toHaveValue('Point libre tapé');
		await page.unroute('**/__data.json**');
		expect(await leaveAsked(page, '/commission')).toBe(LEAVE_QUESTION);
		// Given back, the form is sent again, and its page read.
		await page.locator('input[name="guest_name"]').fill('Paul Invité');
		await page.getByRole('button', { name: 'Ajouter l’invité' }).click();
		await expect(page.getByText('Paul Invité').first()).toBeVisible();
		await expect(page.getByText('Marie Invitée').first()).toBeVisible();
		await expect(page.locator('#free-title')).toHaveValue('Point libre tapé');
		await page.context().close();
	});
}

test('the organisation, invitation, campaign dates, guest and free point forms ask before leaving', async ({
	browser
}) => {
	const { page: admin } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin/organisations' });
	await admin.locator('#name').fill('Mairie de Figeac');
	expect(await leaveAsked(admin, '/admin')).toBe(LEAVE_QUESTION);
	await expect(admin.locator('#name')).toHaveValue('Mairie de Figeac');

	await admin.goto('/admin/utilisateurs');
	await waitForHydration(admin);
	await admin.locator('form[action="?/create"] #email').fill('jeanne@figeac.fr');
	expect(await leaveAsked(admin, '/admin')).toBe(LEAVE_QUESTION);

	await openCampaignFromPage(admin, {
		title: 'Campagne des saisies gardées',
		deadline: daysAfter(parisToday(), 10),
		reminders: '-3'
	});
	await expect(admin.getByRole('status').first()).toContainText('Campagne ouverte');
	await waitForHydration(admin);
	await admin.getByLabel('Nouvelle échéance').fill(daysAfter(parisToday(), 20));
	expect(await leaveAsked(admin, '/admin')).toBe(LEAVE_QUESTION);
	await admin.context().close();

	const api = await apiAs(ACCOUNTS.commission);
	const created = await api.post('/commission?/create', {
		form: { held_on: '2027-03-16', place: 'Cahors', title: 'Séance des saisies gardées' },
		maxRedirects: 0
	});
	const id = /seances\/(\d+)/.exec(created.headers().location ?? '')?.[1];
	await api.dispose();
	const { page: member } = await signedIn(browser, ACCOUNTS.commission, {
		path: `/commission/seances/${id}`
	});
	await member.locator('input[name="guest_name"]').fill('Marie Invitée, DGS de Figeac');
	expect(await leaveAsked(member, '/commission')).toBe(LEAVE_QUESTION);
	await member.locator('input[name="guest_name"]').fill('');
	await member.locator('#free-title').fill('Point libre tapé');
	expect(await leaveAsked(member, '/commission')).toBe(LEAVE_QUESTION);
	await member.context().close();
});

test('a link to the same page at another address, followed while a refusal reads the page again, never shows the page’s old data there', async ({
	browser
}) => {
	const { page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin/bilans' });
	const correct = page.getByRole('link', {
		name: /^Corriger le bilan \d{4} \(nouvelle version\)$/
	});
	const year = /\d{4}/.exec((await correct.first().getAttribute('aria-label')) ?? '')![0];
	// The refusal's read of the page is held; the link's read fails (503).
	let release = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	let held = false;
	await page.route('**/admin/bilans/__data.json**', async (route) => {
		if (new URL(route.request().url()).searchParams.has('corriger'))
			return route.fulfill({ status: 503, body: 'indisponible' });
		held = true;
		await released;
		await route.continue();
	});
	page.on('dialog', (dialog) => void dialog.accept());
	await page.getByLabel('Année').fill('deux mille');
	await page.getByRole('button', { name: 'Enregistrer et prévisualiser' }).click();
	await expect.poll(() => held).toBe(true);
	await correct.first().click();
	// Not the page as it was (« Préparer un bilan »), under the correction's address: SvelteKit
	// loads that address itself, as a new document (which took more than 5 s under load, ci42).
	await expect(page).toHaveURL(/\/admin\/bilans\?corriger=\d+#preparer$/, { timeout: 20_000 });
	await expect(page.locator('h2#preparer')).toHaveText(
		`Corriger le bilan ${year} (nouvelle version)`
	);
	release();
	await page.context().close();
});
