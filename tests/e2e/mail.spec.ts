import SQLite from 'better-sqlite3';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import {
	ACCOUNTS,
	apiAs,
	loginPage,
	portalDatabase,
	signInThroughForm,
	userCreate,
	type Account
} from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { cancelConvenedSitting } from './helpers/commission';
import {
	closeCampaignThrough,
	openCampaignFromPage,
	openCampaignThrough
} from './helpers/campaigns';
import { expect, test } from './helpers/portal';
import { fieldsReleased } from './helpers/forms';
import { screenshotsAtWidths } from './helpers/screenshots';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';
import { formatDate } from '../../src/lib/utils/format';
import { startSmtp, type Received, type TestSmtp } from '../../src/lib/server/mail/testing';
import { waitForHydration } from './helpers/hydration';

// This spec's portal sends its mail to a real SMTP server (smtp-server, parsed with mailparser)
// started with its worker: the tests read each message as its recipient does and follow its links
// in Chromium. One-time links (invitation, reset) reach the recipient only: /admin/courriels never
// shows them. Keeping messages without SMTP_URL, retries and refusals are tested in
// src/lib/server/mail/*.spec.ts.

const INVITEE = {
	email: 'ines.assureurs@assureurs.test',
	name: 'Inès Assureurs',
	first: 'une barque rouge sur le lot à luzech',
	second: 'les noyers de martel au mois de juin'
};
/**
 * Partners with a password, made by the test that needs one (any test of this file runs alone and
 * in any order): the reset's, whose password it replaces by `next`, the relay's, whose reset
 * waits, the campaign's, who submits for the Assureurs, and the preferences', who unsubscribes
 * (of the ARS, whose fiche no test here answers: an opening to an organisation that has answered
 * every fiche is not sent).
 */
const FORGETFUL = {
	email: 'rene.reinit@assureurs.test',
	name: 'René Réinit',
	role: 'partenaire',
	organisation: 'assureurs',
	password: 'le moulin de cougnaguet sur l’ouysse',
	next: 'les falaises de saint-cirq-lapopie au soir'
} satisfies Account & { next: string };
const WAITING = {
	email: 'wanda.attente@assureurs.test',
	name: 'Wanda Attente',
	role: 'partenaire',
	organisation: 'assureurs',
	password: 'le gouffre de padirac et sa rivière'
} satisfies Account;
const SUBMITTING = {
	email: 'simon.soumet@assureurs.test',
	name: 'Simon Soumet',
	role: 'partenaire',
	organisation: 'assureurs',
	password: 'les vignes de cahors sous la pluie'
} satisfies Account;
const UNSUBSCRIBING = {
	email: 'ursule.desabonne@ars.test',
	name: 'Ursule Désabonne',
	role: 'partenaire',
	organisation: 'ars',
	password: 'le pech merle et ses chevaux peints'
} satisfies Account;
test.describe.configure({ mode: 'serial' });

let smtp: TestSmtp;
test.use({
	portalEnv: [
		// eslint-disable-next-line no-empty-pattern -- a worker fixture that needs no other fixture
		async ({}, use) => {
			smtp = await startSmtp();
			await use({
				SMTP_URL: smtp.config.url,
				MAIL_FROM: 'Portail SDUSN <ne-pas-repondre@lot-numerique.test>'
			});
			await smtp.close();
		},
		{ scope: 'worker' }
	]
});

let admin: APIRequestContext;

/** Makes `account` with the real command, unless an earlier test of this worker made it. */
async function made(account: Account): Promise<void> {
	const result = userCreate(await portalDatabase(), account);
	if (result.status !== 0) expect(result.stderr).toContain('Un compte existe déjà');
}

test.beforeAll(async () => {
	admin = await apiAs(ACCOUNTS.admin);
});
test.afterAll(async () => {
	await admin.dispose();
});

/** The newest message received for `to` whose subject matches (text, HTML, subject parsed). */
async function lastReceived(to: string, subject: RegExp): Promise<Received> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		const found = smtp.received.findLast(
			(r) => r.envelopeTo.includes(to) && subject.test(r.mail.subject ?? '')
		);
		if (found) return found;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`no message « ${subject} » to ${to}`);
}

/** The text of the newest message received for `to` whose subject matches. */
async function lastMail(to: string, subject: RegExp): Promise<string> {
	return (await lastReceived(to, subject)).mail.text ?? '';
}

function linkIn(text: string, path: string): string {
	const match = new RegExp(`http://[^\\s/]+(${path}/[^\\s]+)`).exec(text);
	if (!match) throw new Error(`no ${path} link in ${text}`);
	return match[1]!;
}

async function anonymous(browser: Browser): Promise<Page> {
	return (await browser.newContext({ locale: 'fr-FR' })).newPage();
}

test('an admin invites a partner, who receives the mail and sets a password from its link', async ({
	page,
	browser
}, testInfo) => {
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/utilisateurs');
	await waitForHydration(page);
	await page.getByLabel('Adresse électronique').fill(INVITEE.email);
	await page.getByLabel('Nom et prénom').fill(INVITEE.name);
	await page.getByLabel('Rôle').selectOption('partenaire');
	await page.getByLabel('Organisation').selectOption({ label: 'Assureurs' });
	await page.getByRole('button', { name: /Créer le compte/ }).click();
	await expect(page.getByRole('status')).toContainText(
		`Invitation créée, valable 7 jours et une seule fois ; un courriel part vers ${INVITEE.email}`
	);

	const text = await lastMail(INVITEE.email, /Votre invitation/);
	expect(text).toContain(`Bonjour ${INVITEE.name},`);
	// Its HTML part, opened on a phone: nothing wider than the screen (the link's long address
	// written out breaks), the link to follow where the text part has it.
	const html = smtp.received.findLast((r) => r.envelopeTo.includes(INVITEE.email))!.mail.html;
	const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
	await phone.setContent(String(html));
	expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	const href = await phone
		.getByRole('link', { name: 'Choisir mon mot de passe' })
		.getAttribute('href');
	expect(new URL(href!).pathname).toBe(linkIn(text, '/invitation'));
	await phone.close();
	expect(text).toContain('Anne Admin, de l’équipe de Lot numérique, vous a créé un compte');
	const link = linkIn(text, '/invitation');

	// The admins see that it went out, never its link.
	await page.goto('/admin/courriels');
	await expect(page.getByText('remis au serveur de courrier').first()).toBeVisible();
	const listed = page.getByRole('listitem').filter({ hasText: INVITEE.email }).first();
	await listed.locator('summary').click();
	await expect(listed).toContainText(
		'(lien à usage unique : réservé au destinataire, jamais montré ici)'
	);
	expect(await page.content()).not.toContain(link);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'courriels');
	// The list filtered by state, from the counts line; a state that does not exist is said so.
	await page
		.getByRole('navigation', { name: 'Filtrer par état' })
		.getByRole('link', { name: /remis au serveur de courrier$/ })
		.click();
	await expect(page).toHaveURL(/\/admin\/courriels\?etat=remis$/);
	await expect(page.locator('.mail-list .status').first()).toHaveText(
		'remis au serveur de courrier'
	);
	expect(new Set(await page.locator('.mail-list summary .status').allTextContents())).toEqual(
		new Set(['remis au serveur de courrier'])
	);
	const unknown = await page.goto('/admin/courriels?etat=perdus');
	expect(unknown?.status()).toBe(400);
	await expect(page.getByText(/^Cet état de message n’existe pas\./)).toContainText(
		'refusé (définitif)'
	);
	await page.getByRole('link', { name: 'Voir tous les courriels et leurs états' }).click();
	await expect(page).toHaveURL(/\/admin\/courriels$/);
	// A page past the last message of a state says so and leads back to the first.
	await page.goto('/admin/courriels?etat=remis&page=99');
	await expect(page.getByText(/^Cette page est au-delà du dernier message remis/)).toBeVisible();
	await page.getByRole('link', { name: 'Revenir à la première page' }).click();
	await expect(page).toHaveURL(/\/admin\/courriels\?etat=remis&page=1$/);
	await expect(page.locator('.mail-list summary .status').first()).toBeVisible();

	const invited = await anonymous(browser);
	await invited.goto(link);
	await waitForHydration(invited);
	await expect(invited.getByRole('heading', { name: `Bienvenue, ${INVITEE.name}` })).toBeVisible();
	await invited.getByLabel(/^Mot de passe \(/).fill(INVITEE.first);
	await invited.getByLabel('Mot de passe, encore une fois').fill(INVITEE.first);
	await invited.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
	await expect(invited).toHaveURL(/\/espace\?mot-de-passe=enregistre$/);
	await invited.context().close();

	// Active now: the admin is offered a link to a new password, not an invitation.
	await page.goto('/admin/utilisateurs');
	const row = page.getByRole('row').filter({ hasText: INVITEE.email });
	await expect(row.getByRole('cell').nth(3)).toContainText('actif');
	await row.getByRole('button', { name: /^Envoyer un lien de nouveau mot de passe/ }).click();
	await expect(page.getByRole('status')).toContainText(
		`Lien de nouveau mot de passe créé, valable 7 jours et une seule fois ; un courriel part vers ${INVITEE.email}`
	);
	// It replaces someone's password: with a relay, it goes to them alone, never shown here.
	await expect(page.getByRole('status')).toContainText('il n’est pas affiché ici');
	await expect(page.locator('code.link')).toHaveCount(0);
	const renewal = await lastMail(INVITEE.email, /nouveau mot de passe/);
	const fresh = await anonymous(browser);
	await fresh.goto(linkIn(renewal, '/invitation'));
	await expect(
		fresh.getByRole('heading', { name: `Nouveau mot de passe, ${INVITEE.name}` })
	).toBeVisible();
	await fresh.context().close();
});

test('a partner resets a forgotten password from the mail', async ({ page, browser }, testInfo) => {
	await made(FORGETFUL);
	await page.goto('/connexion');
	await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
	await expect(page).toHaveURL(/\/mot-de-passe-oublie$/);
	// The new page shown first: changed by the page's script, it keeps the mark of the one before.
	await expect(page.getByRole('button', { name: 'Recevoir un lien' })).toBeVisible();
	await waitForHydration(page);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'mot-de-passe-oublie');
	await page.getByLabel('Adresse électronique').fill(FORGETFUL.email);
	await page.getByRole('button', { name: 'Recevoir un lien' }).click();
	await expect(page.getByRole('status')).toContainText('Si un compte existe pour cette adresse');

	// The same answer for an address without an account.
	const other = await anonymous(browser);
	await other.goto('/mot-de-passe-oublie');
	await waitForHydration(other);
	await other.getByLabel('Adresse électronique').fill('personne@inconnu.test');
	await other.getByRole('button', { name: 'Recevoir un lien' }).click();
	await expect(other.getByRole('status')).toHaveText(
		(await page.getByRole('status').textContent())!.trim()
	);
	await other.context().close();

	const text = await lastMail(FORGETFUL.email, /Nouveau mot de passe/);
	expect(text).toContain('30\u00a0minutes');
	const link = linkIn(text, '/mot-de-passe-oublie');
	// The link opened in two more tabs first, with and without script: used in this one meanwhile.
	const staleTab = await anonymous(browser);
	const noScript = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
	const staleNoScript = await noScript.newPage();
	for (const stale of [staleTab, staleNoScript]) await stale.goto(link);
	await waitForHydration(staleTab);
	await page.goto(link);
	await waitForHydration(page);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'nouveau-mot-de-passe');
	await page.getByLabel(/^Nouveau mot de passe \(/).fill(FORGETFUL.next);
	await page.getByLabel('Nouveau mot de passe, encore une fois').fill(FORGETFUL.next);
	await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
	await expect(page).toHaveURL(/\/espace\?mot-de-passe=enregistre$/);
	await expect(page.getByRole('status').first()).toHaveText(
		'Votre mot de passe est enregistré et votre session est ouverte.'
	);
	// Single use.
	const again = await page.request.get(link);
	expect(again.status()).toBe(410);
	// The tabs opened before, sent now: the page the link opens on now, with its way out, not a
	// refusal above a form that can no longer be sent.
	for (const stale of [staleTab, staleNoScript]) {
		await stale.getByLabel(/^Nouveau mot de passe \(/).fill(FORGETFUL.password);
		await stale.getByLabel('Nouveau mot de passe, encore une fois').fill(FORGETFUL.password);
		await stale.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
		await expect(stale.getByRole('heading', { level: 1 })).toHaveText(
			'Lien expiré ou déjà utilisé'
		);
		// The script puts the focus on it, as on any error page drawn in place of a form's page.
		if (stale === staleTab) await expect(stale.getByRole('heading', { level: 1 })).toBeFocused();
		await expect(stale.getByRole('button', { name: 'Enregistrer mon mot de passe' })).toHaveCount(
			0
		);
		await stale.getByRole('link', { name: 'Demander un nouveau lien' }).click();
		await expect(stale).toHaveURL(/\/mot-de-passe-oublie$/);
	}
	await staleTab.context().close();
	await noScript.close();
	await signInThroughForm(await anonymous(browser), {
		...FORGETFUL,
		password: FORGETFUL.next
	});
});

test('a campaign opens, a reminder goes, the partner submits, the campaign shows them complete', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(60_000);
	await made(SUBMITTING);
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/campagnes');
	await waitForHydration(page);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'campagnes');
	// In two days (Paris), with a reminder the day before: a reminder due on the opening day would
	// never go, and the form refuses it.
	const deadline = daysAfter(parisToday(), 2);
	const campaignPage = await openCampaignFromPage(page, {
		title: 'Bilan des assureurs',
		deadline,
		organisation: 'Assureurs',
		reminders: '-1'
	});
	await expect(page.getByRole('status').first()).toContainText('Campagne ouverte');
	const campaignId = Number(/campagnes\/(\d+)/.exec(campaignPage)?.[1]);
	const opening = await lastMail(
		SUBMITTING.email,
		/Campagne de suivi «\u00a0Bilan des assureurs\u00a0»/
	);
	expect(opening).toContain(`au plus tard le ${formatDate(deadline)}`);
	const ficheCode = /- (\d{1,2}-\d) — /.exec(opening)?.[1];
	expect(ficheCode).toBeTruthy();

	// As if the campaign had been opened a week ago, for tomorrow: its « -1 » reminder is due today.
	// Its opening mail with it: one written on a reminder's day stands for that reminder.
	const db = new SQLite(await portalDatabase());
	db.prepare(
		'UPDATE campaign SET opened_at = opened_at - 7 * 86400000, deadline = ? WHERE id = ?'
	).run(daysAfter(parisToday(), 1), campaignId);
	db.prepare(
		'UPDATE mail_outbox SET created_at = created_at - 7 * 86400000 WHERE campaign_id = ?'
	).run(campaignId);
	db.close();
	const reminder = await lastMail(
		SUBMITTING.email,
		/Rappel\u00a0: campagne de suivi «\u00a0Bilan des assureurs\u00a0»/
	);
	expect(reminder).toContain(`${ficheCode} — `);
	// The wording is not « not yet submitted »: it also fits a fiche whose update was returned,
	// which the campaign still awaits and reminds (no update is returned in this journey: that rule
	// is src/lib/server/campaigns/service.spec.ts « counts an update returned … as missing »).
	// In the number of the fiches it lists: « cette fiche » for one (review s49).
	const listed = reminder.match(/^- \d{1,2}-\d — /gm)?.length ?? 0;
	expect(reminder).toContain(
		`Lot numérique attend encore de votre organisation une mise à jour de ${listed === 1 ? 'cette fiche' : 'ces fiches'} (à soumettre, ou à compléter si elle vous a été renvoyée)`
	);
	await page.reload();
	const row = page
		.getByRole('table', { name: 'Avancement par organisation' })
		.getByRole('row', { name: /^Assureurs/ });
	await expect(row).toContainText('J-1 le');
	// Each missing fiche's code on one line: « 9-1 » never cut after its hyphen.
	const missing = row.locator('td[data-label="Fiches manquantes"] .missing');
	await expect(missing).toHaveText([ficheCode!]);
	expect(await missing.evaluate((code) => getComputedStyle(code).whiteSpace)).toBe('nowrap');

	const partner = await anonymous(browser);
	await loginPage(partner, SUBMITTING);
	await partner.goto('/espace');
	await expect(partner.getByRole('region', { name: 'Campagnes de suivi en cours' })).toContainText(
		'Bilan des assureurs'
	);
	await partner
		.getByRole('link', { name: `${ficheCode!} : mettre à jour la fiche`, exact: true })
		.first()
		.click();
	await expect(partner.getByLabel('Date de la mise à jour')).toBeVisible();
	await waitForHydration(partner);
	await partner.getByLabel('Date de la mise à jour').fill(parisToday());
	await partner.getByLabel('Statut de la fiche').selectOption('en_cours');
	await partner.getByLabel('Ce qui a été fait').fill('Réunion des assureurs sur la cybersécurité.');
	await partner.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(partner.getByRole('status')).toContainText('est soumise à Lot numérique');
	await partner.goto('/espace');
	await expect(partner.getByRole('region', { name: 'Campagnes de suivi en cours' })).toContainText(
		'toutes vos fiches ont une mise à jour soumise'
	);

	await page.reload();
	await expect(row).toContainText('1 / 1');
	await expect(row).toContainText('aucune');
	// The fiche's other organisations have no account: listed apart, and the campaign is complete.
	await expect(page.getByText(/aucun compte actif/)).toBeVisible();
	await expect(page.locator('.completion')).toContainText('Campagne complète');
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'campagne');
	// On a phone each organisation is a block whose cells are named: the reminders sent are on
	// screen, not off to the right of a table scrolled sideways.
	await page.setViewportSize({ width: 390, height: 900 });
	const table = page.getByRole('table', { name: 'Avancement par organisation' });
	expect(await table.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
	const reminders = row.getByRole('cell', { name: /J-1 le/ });
	const box = (await reminders.boundingBox())!;
	expect(box.x).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width).toBeLessThanOrEqual(390);
	expect(await reminders.evaluate((td) => getComputedStyle(td, '::before').content)).toBe(
		'"Rappels : "'
	);
	await page.setViewportSize({ width: 1280, height: 900 });
	const csv = await page.request.get(`/admin/campagnes/${campaignId}/suivi.csv`);
	expect(await csv.text()).toMatch(new RegExp(`${ficheCode},.*,Assureurs,soumise,J-1 : `));
	const xlsx = await page.request.get(`/admin/campagnes/${campaignId}/suivi.xlsx`);
	expect(xlsx.headers()['content-disposition']).toBe(
		`attachment; filename="campagne-${campaignId}.xlsx"`
	);
	expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

	// Every answer is in: the admin closes it; it leaves the partner's workspace.
	const close = page.getByRole('button', { name: 'Clore la campagne « Bilan des assureurs »' });
	await close.click();
	await expect(page.getByRole('alert')).toContainText('Cochez la case pour confirmer la clôture');
	await fieldsReleased(page);
	await page.getByLabel('Plus aucun rappel ne partira : clore la campagne').check();
	await close.click();
	await expect(page.getByRole('status').first()).toContainText('Campagne close');
	await expect(page.getByText(`Close le ${formatDate(parisToday())} par Anne Admin`)).toBeVisible();
	await expect(page.getByRole('button', { name: /Clore la campagne/ })).toHaveCount(0);
	await partner.goto('/espace');
	await expect(partner.getByRole('heading', { name: 'Mon espace' })).toBeVisible();
	await expect(partner.getByRole('region', { name: 'Campagnes de suivi en cours' })).toHaveCount(0);
	await partner.context().close();
});

test('notification preferences at /compte, and one-click unsubscribe without login', async ({
	page,
	browser
}, testInfo) => {
	await made(UNSUBSCRIBING);
	const db = new SQLite(await portalDatabase(), { readonly: true });
	const { id: ars } = db.prepare("SELECT id FROM organisation WHERE slug = 'ars'").get() as {
		id: number;
	};
	db.close();
	// A campaign for the ARS: its opening mail carries the one-click link of the reminders.
	const campaign = await openCampaignThrough(admin, {
		title: 'Avis de la santé',
		deadline: daysAfter(parisToday(), 12),
		organisation: ars,
		reminders: '-3'
	});
	await loginPage(page, UNSUBSCRIBING);
	await page.goto('/compte');
	await waitForHydration(page);
	await expect(page.getByLabel(/Rappels des campagnes/)).toBeChecked();
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'compte');
	const opening = await lastMail(
		UNSUBSCRIBING.email,
		/Campagne de suivi «\u00a0Avis de la santé\u00a0»/
	);
	const oneClick = linkIn(opening, '/desabonnement');
	expect(oneClick).toMatch(/\/un-clic$/);

	// A GET (a person clicking) changes nothing: it leads to the confirm page.
	const visitor = await anonymous(browser);
	await visitor.goto(oneClick);
	await expect(visitor.getByRole('heading', { name: 'Se désabonner' })).toBeVisible();
	await expectNoAxeViolations(visitor);
	await screenshotsAtWidths(visitor, (file) => testInfo.outputPath(file), 'desabonnement');
	await page.reload();
	await expect(page.getByLabel(/Rappels des campagnes/)).toBeChecked();

	// RFC 8058: the provider's POST, from its servers, without Origin or cookie.
	const providerPost = async (url: string) =>
		(await browser.newContext()).request.post(url, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			data: 'List-Unsubscribe=One-Click',
			maxRedirects: 0
		});
	expect((await providerPost(oneClick)).status()).toBe(200);
	await page.reload();
	await expect(page.getByLabel(/Rappels des campagnes/)).not.toBeChecked();
	await expect(page.getByLabel(/Validations et renvois/)).toBeChecked();
	// A forged token does nothing, and is answered as its confirmation page answers it (read-back
	// s46: 404 there, 410 « Lien expiré ou déjà utilisé » on the page).
	const forged = oneClick.replace(/\.[A-Za-z0-9_-]{43}\//, `.${'A'.repeat(43)}/`);
	const refused = await providerPost(forged);
	expect(refused.status()).toBe(410);
	expect(await refused.text()).toContain('Ce lien de désabonnement n’est pas ou plus valable');
	await visitor.goto(forged);
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(
		'Lien expiré ou déjà utilisé'
	);

	await page.getByLabel(/Rappels des campagnes/).check();
	await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
	await expect(page.getByRole('status').first()).toContainText(
		'préférences de courriel sont enregistrées'
	);
	await visitor.context().close();
	// Closed: no other test's partner finds it in their workspace.
	await closeCampaignThrough(admin, campaign);
});

test('the relay closes: the messages wait, and an admin sends them as soon as it is mended', async ({
	page,
	browser
}, testInfo) => {
	await made(WAITING);
	const received = () =>
		smtp.received.filter(
			(r) =>
				r.envelopeTo.includes(WAITING.email) && /Nouveau mot de passe/.test(r.mail.subject ?? '')
		).length;
	const before = received();
	smtp.refuseNext.push(421);
	const visitor = await anonymous(browser);
	await visitor.goto('/mot-de-passe-oublie');
	await waitForHydration(visitor);
	await visitor.getByLabel('Adresse électronique').fill(WAITING.email);
	await visitor.getByRole('button', { name: 'Recevoir un lien' }).click();
	await expect(visitor.getByRole('status')).toContainText('Si un compte existe');
	await visitor.context().close();

	await loginPage(page, ACCOUNTS.admin);
	// Once the sender has tried (it polls every two seconds), the relay having said 421, every
	// message waits, the page says so, with the relay's next try a minute on.
	const banner = page.locator('.relay-down');
	await expect
		.poll(async () => {
			await page.goto('/admin/courriels?etat=en-attente');
			return banner.count();
		})
		.toBe(1);
	await expect(banner).toContainText(
		/Le serveur de courrier est en panne ou refuse les envois du portail depuis le/
	);
	await expect(banner).toContainText(/prochain essai le/);
	await expect(banner).toContainText(/code 421/);
	await expect(page.locator('.mail-list li').filter({ hasText: WAITING.email })).toHaveCount(1);
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'courriels-en-attente');
	// The administration's home page warns the staff too…
	await page.goto('/admin');
	await expect(page.locator('.relay-down')).toContainText('partiront dès qu’il répondra');
	// …and a link to a new password, whose mail waits, is shown to the admin to pass on if need be.
	await page.goto('/admin/utilisateurs');
	await page
		.getByRole('row')
		.filter({ hasText: ACCOUNTS.commission.email })
		.getByRole('button', { name: /^Envoyer un lien de nouveau mot de passe/ })
		.click();
	await expect(page.getByRole('status')).toContainText('il partira dès qu’il répondra');
	await expect(page.locator('code.link')).toContainText('/invitation/');
	await page.goto('/admin/courriels?etat=en-attente');
	// A second tab, opened now, will press the button once the messages have left.
	const second = await page.context().newPage();
	await second.goto('/admin/courriels?etat=en-attente');
	await waitForHydration(second);

	// Mended: « Réessayer maintenant » sends it well before the minute is out.
	await page.getByRole('button', { name: 'Réessayer maintenant les messages en attente' }).click();
	await expect(page.getByRole('status')).toContainText(
		/^2\smessages en attente partent dans les secondes\s+qui\s+viennent/
	);
	await expect.poll(received, { timeout: 20_000 }).toBe(before + 1);
	// The second tab's list is stale: pressing its button says nothing changed, and shows the list
	// as it is now (the message sent, no longer waiting).
	await second
		.getByRole('button', { name: 'Réessayer maintenant les messages en attente' })
		.click();
	await expect(second.getByRole('status')).toContainText(
		/^Aucun message n’attend plus d’être envoyé [\s\S]* La liste ci-dessous est à jour\.$/
	);
	await expect(second.locator('.mail-list li').filter({ hasText: WAITING.email })).toHaveCount(0);
	await expect(
		second.getByRole('button', { name: 'Réessayer maintenant les messages en attente' })
	).toHaveCount(0);
	await second.close();
	// The relay answered: the outage is over.
	await page.goto('/admin/courriels');
	await expect(banner).toHaveCount(0);
	// Nothing waits any more: no button.
	await expect(
		page.getByRole('button', { name: 'Réessayer maintenant les messages en attente' })
	).toHaveCount(0);
});

test('a convened séance deleted: its cancellation goes, the page says to how many, its links say it was cancelled', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const heldOn = daysAfter(parisToday(), 20);
	const created = await member.post('/commission?/create', {
		// The form's usual title: the mails do not name the commission twice.
		form: { held_on: heldOn, place: 'Figeac', title: 'Commission des usages numériques' },
		maxRedirects: 0
	});
	const id = /seances\/(\d+)/.exec(created.headers().location ?? '')?.[1];
	expect(id).toBeDefined();
	await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes: '9-1' } });
	const convened = await member.post(`/commission/seances/${id}?/convene`, {
		form: { convened_at: '' }
	});
	expect(convened.status()).toBe(303);
	const file = `/commission/seances/${id}/fiches/9-1`;
	const convocation = await lastMail(ACCOUNTS.partner.email, /Commission des usages numériques/);
	expect(convocation).toContain(file);

	await loginPage(page, ACCOUNTS.commission);
	const told = await cancelConvenedSitting(page, id);
	expect(told).toBeGreaterThanOrEqual(2);
	await expect(page.getByRole('status')).toHaveText(
		new RegExp(
			`^La séance, déjà convoquée, a été annulée et supprimée\\. Son annulation a été écrite pour ${told}\\spersonnes convoquées et part par courriel`
		)
	);

	const cancellation = await lastReceived(ACCOUNTS.partner.email, /annulée/);
	const spaced = (text: string) => text.replace(/\s+/g, ' ').trim();
	expect(spaced(cancellation.mail.subject ?? '')).toBe(
		spaced(`Séance du ${formatDate(heldOn)} annulée — commission des usages numériques`)
	);
	// Read as text, and as the HTML part shows it.
	await page.setContent(String(cancellation.mail.html));
	// The séance has the form's usual title: the commission is not named twice.
	for (const body of [cancellation.mail.text ?? '', await page.locator('body').innerText()]) {
		expect(spaced(body)).toContain('La séance de la commission des usages numériques, prévue le');
		expect(spaced(body)).not.toContain('« Commission des usages numériques »');
	}

	// The links of the convocation: the séance was cancelled, not « créée par erreur ».
	const partner = await apiAs(ACCOUNTS.partner);
	const gone = await partner.get(file);
	expect(gone.status()).toBe(404);
	expect(await gone.text()).toContain('Cette séance a été annulée après sa convocation');
	await partner.dispose();
	const page404 = await member.get(`/commission/seances/${id}`);
	expect(page404.status()).toBe(404);
	const text = await page404.text();
	expect(text).toContain('Cette séance a été annulée après sa convocation');
	expect(text).not.toContain('créée par erreur');
	await member.dispose();
});
