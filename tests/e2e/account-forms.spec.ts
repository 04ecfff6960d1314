import { expect, test } from './helpers/portal';
import SQLite from 'better-sqlite3';
import { ACCOUNTS, loginPage, portalDatabase, signInThroughForm } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshot, screenshotsAtWidths } from './helpers/screenshots';
import { pageWidth, widenTextSpacing } from './helpers/layout';
import { sendAndWait } from './helpers/forms';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';
import { formatDate } from '../../src/lib/utils/format';
import { waitForHydration } from './helpers/hydration';
import { openCampaignFromPage } from './helpers/campaigns';

const CREATE = 'Créer le compte et le lien d’invitation';

test('an admin cannot give a commission account an organisation; the invitation shows every message', async ({
	page,
	browser,
	baseURL
}, testInfo) => {
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/utilisateurs');
	await page.getByLabel('Adresse électronique').fill('camille.commission@lot.test');
	await page.getByLabel('Nom et prénom').fill('Camille Commission');
	await page
		.getByLabel('Rôle')
		.selectOption({ label: 'Membre de la commission des usages numériques' });
	await page.getByLabel('Organisation').selectOption({ label: 'CDG46' });
	await page.getByRole('button', { name: CREATE }).click();
	await expect(
		page.locator('p.field-error', {
			hasText: 'Seul un compte partenaire appartient à une organisation'
		})
	).toBeVisible();
	await expect(page.locator('code.link')).toHaveCount(0);
	await expect(page.getByLabel('Nom et prénom')).toHaveValue('Camille Commission');
	await expect(page.getByLabel('Rôle')).toHaveValue('commission');
	await expectNoAxeViolations(page);

	// Without JavaScript the refused form comes back from the server with both choices kept.
	const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await loginPage(plain, ACCOUNTS.admin);
	await plain.goto('/admin/utilisateurs');
	await plain.getByLabel('Adresse électronique').fill('camille.commission@lot.test');
	await plain.getByLabel('Nom et prénom').fill('Camille Commission');
	await plain.getByLabel('Rôle').selectOption('commission');
	await plain.getByLabel('Organisation').selectOption({ label: 'CDG46' });
	await plain.getByRole('button', { name: CREATE }).click();
	await expect(
		plain.locator('p.field-error', {
			hasText: 'Seul un compte partenaire appartient à une organisation'
		})
	).toBeVisible();
	await expect(plain.getByLabel('Rôle')).toHaveValue('commission');
	await expect(plain.getByLabel('Organisation').locator('option:checked')).toHaveText('CDG46');
	await noScript.close();

	await page.getByLabel('Organisation').selectOption({ label: '—' });
	await page.getByRole('button', { name: CREATE }).click();
	const link = (await page.locator('code.link').textContent())!;

	const context = await browser.newContext();
	const invited = await context.newPage();
	await invited.goto(new URL(link).pathname);
	await invited.getByLabel(/^Mot de passe \(/).fill('court');
	await invited.getByLabel('Mot de passe, encore une fois').fill('autre');
	await invited.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
	// Each beside its field, and both summed up at the top, each with its link (TokenPasswordForm).
	await expect(invited.locator('#password-error')).toHaveText(
		'Le mot de passe doit compter au moins 12 caractères.'
	);
	await expect(invited.locator('#confirm-error')).toHaveText(
		'Les deux saisies du mot de passe ne correspondent pas.'
	);
	const summary = invited.getByRole('alert').filter({ hasText: 'n’a pas été enregistré' });
	await expect(summary.getByRole('link')).toHaveText([
		'Le mot de passe doit compter au moins 12 caractères.',
		'Les deux saisies du mot de passe ne correspondent pas.'
	]);
	// Both fields emptied, as without script, and the focus on the summary (forgetPasswordsOnRefusal).
	await expect(summary).toBeFocused();
	await expect(invited.getByLabel(/^Mot de passe \(/)).toHaveValue('');
	await expect(invited.getByLabel('Mot de passe, encore une fois')).toHaveValue('');
	await expectNoAxeViolations(invited);
	await screenshot(invited, testInfo.outputPath('invitation-erreurs.png'));
	await context.close();

	// The journal shows the creation as readable lines, not raw JSON.
	await page.goto('/admin/journal');
	const table = page.getByRole('table', { name: 'Événements du journal' });
	await expect(
		table.getByText('rôle : Membre de la commission des usages numériques').first()
	).toBeVisible();
	await expect(table).not.toContainText('{"');
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('journal.png'));

	// Dates typed the wrong way round: the period meant, said, and the creation still listed.
	const today = parisToday();
	await page.goto(`/admin/journal?du=${today}&au=2019-01-01`);
	await expect(page.getByText('La date de début était après la date de fin')).toBeVisible();
	await expect(page.getByLabel('Du', { exact: true })).toHaveValue('2019-01-01');
	await expect(
		table.getByText('rôle : Membre de la commission des usages numériques').first()
	).toBeVisible();
});

/**
 * The page's scripts held back until the person has typed (a slow connection): hydration must
 * keep what is in the fields, inputs and textareas alike.
 */
async function typedBeforeScripts(page: import('@playwright/test').Page, path: string) {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	// Scripts only: a stylesheet held back would hold the page's parsing with it.
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	await page.goto(path, { waitUntil: 'domcontentloaded' });
	return async () => {
		release();
		// The page has hydrated (without the fix in Field.svelte, hydration empties the fields here).
		await waitForHydration(page);
		await page.unroute('**/_app/immutable/**/*.js');
	};
}

test('what is typed before the page’s script has loaded stays in the fields', async ({ page }) => {
	const hydrate = await typedBeforeScripts(page, '/connexion');
	await page.getByLabel('Adresse électronique').fill(ACCOUNTS.admin.email);
	await page.getByLabel('Mot de passe').fill(ACCOUNTS.admin.password);
	await hydrate();
	await expect(page.getByLabel('Adresse électronique')).toHaveValue(ACCOUNTS.admin.email);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('link', { name: ACCOUNTS.admin.name })).toBeVisible();

	const again = await typedBeforeScripts(page, '/admin/bilans');
	await page.getByLabel('Introduction').fill('Écrit avant le chargement du script.');
	await again();
	await expect(page.getByLabel('Introduction')).toHaveValue('Écrit avant le chargement du script.');

	// Filters written outside Field: a choice in a list, a date and a search text.
	const filters = await typedBeforeScripts(page, '/admin/journal');
	await page.getByLabel('Événement', { exact: true }).selectOption({ index: 1 });
	const chosen = await page.getByLabel('Événement', { exact: true }).inputValue();
	await page.getByLabel('Du', { exact: true }).fill('2019-02-01');
	await page.getByLabel('Texte', { exact: true }).fill('séance');
	await filters();
	await expect(page.getByLabel('Événement', { exact: true })).toHaveValue(chosen);
	await expect(page.getByLabel('Du', { exact: true })).toHaveValue('2019-02-01');
	await expect(page.getByLabel('Texte', { exact: true })).toHaveValue('séance');
	// Filtered, the page shows the filters it applied, rendered by the server.
	await page.getByLabel('Texte', { exact: true }).fill('');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	// The address names the filters given, not those left empty.
	await expect(page).toHaveURL(
		new RegExp(`/admin/journal\\?action=${chosen.replace('.', '\\.')}&du=2019-02-01$`)
	);
	await page.reload();
	await expect(page.getByLabel('Événement', { exact: true })).toHaveValue(chosen);
	await expect(page.getByLabel('Du', { exact: true })).toHaveValue('2019-02-01');

	const search = await typedBeforeScripts(page, '/admin/organisations');
	await page.getByLabel('Chercher une organisation').fill('Lot');
	await search();
	await expect(page.getByLabel('Chercher une organisation')).toHaveValue('Lot');

	// Boxes ticked or cleared before the script: the mail preferences, an indicator « retiré ».
	const preferences = await typedBeforeScripts(page, '/compte');
	// Staff are written to about the updates submitted to them only.
	await expect(
		page.getByRole('group', { name: 'Notifications par courriel' }).getByRole('checkbox')
	).toHaveCount(1);
	const digest = page.locator('#mail-validations');
	await expect(digest).toHaveAccessibleName(/^Mises à jour soumises par les partenaires/);
	const wanted = !(await digest.isChecked());
	await digest.setChecked(wanted);
	await preferences();
	await expect(digest).toBeChecked({ checked: wanted });
	await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
	await expect(page.getByText('Vos préférences de courriel sont enregistrées.')).toBeVisible();
	// The answer stays on the page: the focus is on its confirmation, not back at the page's top.
	await expect(
		page.getByRole('status').filter({ hasText: 'Vos préférences de courriel sont enregistrées.' })
	).toBeFocused();
	await expect(digest).toBeChecked({ checked: wanted });
	await page.reload();
	await expect(digest).toBeChecked({ checked: wanted });

	const fiche = await typedBeforeScripts(page, '/admin/plan/fiches/9-1');
	await page.locator('#ind_0_retire').check();
	await fiche();
	await expect(page.locator('#ind_0_retire')).toBeChecked();
});

test('/compte tells every rule a password change breaks at once', async ({ page }) => {
	await loginPage(page, ACCOUNTS.commission);
	await page.goto('/compte');
	// A member is written to about sittings only: the partners' categories are not offered.
	await expect(
		page.getByRole('group', { name: 'Notifications par courriel' }).getByRole('checkbox')
	).toHaveCount(1);
	await expect(page.getByLabel(/^Commission : convocations/)).toBeChecked();
	const change = async (current: string, next: string, confirm: string) => {
		await page.locator('#current').fill(current);
		await page.locator('#next').fill(next);
		await page.locator('#confirm').fill(confirm);
		// Each attempt waits for its own answer: the previous attempt's messages are still shown.
		await sendAndWait(page.locator('form[action="?/password"]'), () =>
			page.getByRole('button', { name: 'Changer le mot de passe' }).click()
		);
	};
	const tooShort = page.locator('p.field-error', {
		hasText: 'Le mot de passe doit compter au moins 12 caractères.'
	});
	// Refused by the form itself (the two entries differ): the weak password and the wrong
	// current one are told as well.
	await change('pas le bon', 'court', 'autre');
	await expect(tooShort).toBeVisible();
	await expect(
		page.locator('p.field-error', {
			hasText: 'Les deux saisies du nouveau mot de passe ne correspondent pas.'
		})
	).toBeVisible();
	await expect(page.getByText('Le mot de passe actuel est incorrect.').first()).toBeVisible();
	// The three fields emptied, as the page sent without script shows them (no password is given
	// back), and the focus on the summary at the top, where that page opens.
	for (const field of ['#current', '#next', '#confirm'])
		await expect(page.locator(field)).toHaveValue('');
	await expect(
		page.getByRole('alert').filter({ hasText: 'Le mot de passe n’a pas été changé' })
	).toBeFocused();
	// Refused by the service (the current password is wrong): the weak password is told as well.
	await change('pas le bon', 'court', 'court');
	await expect(page.getByText('Le mot de passe actuel est incorrect.').first()).toBeVisible();
	await expect(tooShort).toBeVisible();
	// Accepted, with no other session of the account open (this spec signs the account in once).
	const next = 'le causse de gramat sous la brume';
	await change(ACCOUNTS.commission.password, next, next);
	await expect(page.getByRole('status')).toHaveText(
		'Votre mot de passe a été changé. Aucune autre session n’était ouverte.'
	);
});

test('without a mail relay, « Mot de passe oublié » says who can let the person in again', async ({
	page
}, testInfo) => {
	await page.goto('/connexion');
	await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
	await expect(page).toHaveURL(/\/mot-de-passe-oublie$/);
	await expect(page.getByText('Ce portail n’envoie pas de courriels pour l’instant')).toBeVisible();
	await expect(page.getByText('renvoyer une invitation')).toBeVisible();
	// No form that would promise a mail nobody sends.
	await expect(page.getByRole('button', { name: 'Recevoir un lien' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Retour à la connexion' })).toBeVisible();
	await expectNoAxeViolations(page);
	await screenshotsAtWidths(
		page,
		(file) => testInfo.outputPath(file),
		'mot-de-passe-oublie-sans-relais'
	);
});

test('on a phone, the tables of things to act on keep their actions on screen', async ({
	browser
}) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await loginPage(page, ACCOUNTS.admin);
	for (const path of ['/admin/utilisateurs', '/admin/suivis', '/admin/journal']) {
		await page.goto(path);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			390
		);
	}
	// An update's page (one of the register's), at 320 px (a 400 % zoom): its details wrap.
	await page.setViewportSize({ width: 320, height: 640 });
	await page.goto('/admin/suivis/1');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await widenTextSpacing(page);
	expect(await pageWidth(page)).toBeLessThanOrEqual(320);
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/admin/utilisateurs');
	const deactivate = page.getByRole('button', { name: /^Désactiver/ }).first();
	await deactivate.scrollIntoViewIfNeeded();
	const box = (await deactivate.boundingBox())!;
	expect(box.x + box.width).toBeLessThanOrEqual(390);
	// Each cell says which column it belongs to.
	await expect(page.locator('td[data-label="Adresse"]').first()).toBeVisible();
	// One's own row offers neither what is refused for it nor a way to lock oneself out.
	const own = page.getByRole('row').filter({ hasText: ACCOUNTS.admin.email });
	await expect(own.getByText('Votre compte : seul un autre administrateur')).toBeVisible();
	await expect(own.getByRole('button', { name: /^Désactiver/ })).toHaveCount(0);
	await expect(own.getByRole('link', { name: /^Changer le rôle/ })).toHaveCount(0);

	// A table's scrolling area is a tab stop while it scrolls (on this phone), not once it fits.
	await page.goto('/admin/organisations');
	await waitForHydration(page);
	const area = page.getByRole('region', {
		name: 'Organisations, avec leurs fiches et leurs comptes'
	});
	const scrolls = () => area.evaluate((el) => el.scrollWidth > el.clientWidth);
	expect(await scrolls()).toBe(true);
	await expect(area).toHaveAttribute('tabindex', '0');
	await page.setViewportSize({ width: 1280, height: 844 });
	await expect.poll(scrolls).toBe(false);
	await expect(area).not.toHaveAttribute('tabindex');
	await page.setViewportSize({ width: 390, height: 844 });

	// A refused form takes the focus to its first refused field, a screen above its button.
	await page.goto('/admin/campagnes');
	await waitForHydration(page);
	// Only the plan's two priorities are offered.
	await expect(page.locator('#priority option')).toHaveText(['—', 'Priorité 1', 'Priorité 2']);
	// A deadline already passed is told with the missing title, not on the next attempt.
	await page.locator('#deadline').fill('2020-01-15');
	await page.getByRole('button', { name: /^Ouvrir la campagne/ }).click();
	const title = page.getByLabel('Titre');
	await expect(title).toBeFocused();
	await expect(title).toHaveAccessibleDescription(/Donnez un titre à la campagne/);
	await expect(title).toBeInViewport();
	await expect(page.locator('#deadline')).toHaveAccessibleDescription(
		`Choisissez une échéance à venir, à partir d’aujourd’hui, le ${formatDate(parisToday())}.`
	);
	await expect(page.locator('#deadline')).toHaveValue('2020-01-15');
	await context.close();
});

test('a campaign that reaches nobody says so when it opens', async ({ page }) => {
	await loginPage(page, ACCOUNTS.admin);
	await openCampaignFromPage(page, {
		title: 'Le syndicat seul',
		deadline: daysAfter(parisToday(), 20),
		// Neither the prefecture nor any organisation of its fiches has a partner account here.
		organisation: 'Préfecture du Lot'
	});
	const notice = page.getByRole('status').first();
	await expect(notice).toContainText('Campagne ouverte, mais elle n’atteint personne');
	await expect(notice).not.toContainText('un courriel part');
});

test('an admin changes a partner’s role; a second admin on the same page is told, the person signs in again', async ({
	page,
	browser,
	baseURL
}, testInfo) => {
	const alice = ACCOUNTS.otherPartner;
	const partnerContext = await browser.newContext({ baseURL });
	const partnerPage = await partnerContext.newPage();
	await signInThroughForm(partnerPage, alice);

	await signInThroughForm(page, ACCOUNTS.admin);
	await page.goto('/admin/utilisateurs');
	await page.getByRole('link', { name: `Changer le rôle de ${alice.email}` }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Compte d’${alice.name}`);
	const address = page.url();

	// A second admin opens the same page before the first one saves.
	const otherContext = await browser.newContext({ baseURL });
	const other = await otherContext.newPage();
	await signInThroughForm(other, ACCOUNTS.admin);
	await other.goto(address);
	await waitForHydration(other);

	// A partner belongs to an organisation: refused at the field, the choice kept, and said at the
	// top in the summary every form has, which takes the focus and links to the field.
	const organisation = page.getByLabel('Organisation');
	await organisation.selectOption({ label: '—' });
	await page.getByRole('button', { name: 'Changer le rôle' }).click();
	const summary = page.locator('[data-error-summary]');
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('heading')).toHaveText(
		'Le rôle n’a pas été changé\u00a0: 1 champ à corriger'
	);
	await expect(organisation).toHaveAccessibleDescription(
		/Un partenaire appartient à une organisation/
	);
	await summary.getByRole('link', { name: /Un partenaire appartient à une organisation/ }).click();
	await expect(organisation).toBeFocused();
	await expect(organisation).toHaveValue('');

	// Without script, the same summary at the top of the page the browser draws.
	const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await loginPage(plain, ACCOUNTS.admin);
	await plain.goto(address);
	await plain.getByLabel('Organisation').selectOption({ label: '—' });
	await plain.getByRole('button', { name: 'Changer le rôle' }).click();
	const plainSummary = plain.locator('[data-error-summary]');
	await expect(plainSummary.getByRole('heading')).toHaveText(
		'Le rôle n’a pas été changé\u00a0: 1 champ à corriger'
	);
	await expect(plainSummary.getByRole('link')).toHaveAttribute('href', '#organisation');
	await expect(plain.getByLabel('Organisation')).toHaveValue('');
	await noScript.close();
	// Another role: the organisation the select still shows is left aside, not refused.
	await organisation.selectOption({ label: 'ARS' });
	await page.getByLabel('Nouveau rôle').selectOption('commission');
	await page.getByRole('button', { name: 'Changer le rôle' }).click();
	await expect(page.getByRole('status')).toContainText(
		`a maintenant le rôle\u00a0« Membre de la commission des usages numériques »`
	);
	await expect(page.locator('dd').nth(1)).toHaveText(
		'Membre de la commission des usages numériques'
	);
	await expectNoAxeViolations(page);

	// Signed out in another tab, the next change is refused: the confirmation of the change before
	// is not left above the refusal, as if it spoke of this one.
	const tab = await page.context().newPage();
	await tab.goto('/admin');
	await tab.getByRole('button', { name: 'Se déconnecter' }).click();
	await page.getByLabel('Nouveau rôle').selectOption('admin');
	await page.getByRole('button', { name: 'Changer le rôle' }).click();
	await expect(page.getByRole('alert')).toContainText('Votre session a pris fin');
	await expect(page.getByRole('status')).toBeHidden();
	await signInThroughForm(tab, ACCOUNTS.admin);
	await tab.close();

	// The second admin's choice was made on the role shown before: refused, then made knowingly.
	await other.getByLabel('Nouveau rôle').selectOption('admin');
	await other.getByLabel('Organisation').selectOption({ label: '—' });
	await other.getByRole('button', { name: 'Changer le rôle' }).click();
	await expect(other.getByRole('alert')).toContainText(
		/a changé depuis l’ouverture de la page .*il est maintenant\s«\sMembre de la commission des usages numériques\s»/
	);
	await expect(other.getByLabel('Nouveau rôle')).toHaveValue('admin');
	await other.getByRole('button', { name: 'Changer le rôle' }).click();
	await expect(other.getByRole('status')).toContainText(
		'a maintenant le rôle\u00a0« Équipe de Lot numérique (administration) »'
	);
	await otherContext.close();

	// The person's session was closed: signed in again, the new role is theirs.
	await partnerPage.goto('/espace');
	await expect(partnerPage).toHaveURL(/\/connexion/);
	await signInThroughForm(partnerPage, alice);
	// Back to /espace, a partner's page: taken to the administration instead of refused.
	await expect(partnerPage).toHaveURL(/\/admin$/);
	await partnerPage.goto('/admin/utilisateurs');
	await expect(partnerPage.getByRole('heading', { level: 1 })).toHaveText('Comptes et invitations');
	await partnerContext.close();

	// One's own role is not offered: no link in the list, and its page, by its address, says why.
	await page.goto('/admin/utilisateurs');
	const own = page.getByRole('row').filter({ hasText: ACCOUNTS.admin.email });
	await expect(own.getByRole('link', { name: /^Changer le rôle/ })).toHaveCount(0);
	const db = new SQLite(await portalDatabase(), { readonly: true });
	const { id: ownId } = db
		.prepare('SELECT id FROM user_account WHERE email = ?')
		.get(ACCOUNTS.admin.email) as { id: number };
	db.close();
	await page.goto(`/admin/utilisateurs/${ownId}`);
	await expect(page.getByText('C’est votre propre compte')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Changer le rôle' })).toHaveCount(0);
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goBack();
	expect(await pageWidth(page)).toBeLessThanOrEqual(390);
	await screenshot(page, testInfo.outputPath('changer-le-role-390.png'));
});

test('two admins on one account: disabling it twice, revoking an invitation sent again meanwhile', async ({
	page,
	browser,
	baseURL
}) => {
	const tom = ACCOUNTS.throttled;
	const disable = (p: typeof page) =>
		p.getByRole('button', { name: `Désactiver ${tom.email}` }).click();
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/utilisateurs');
	await waitForHydration(page);
	const otherContext = await browser.newContext({ baseURL });
	const other = await otherContext.newPage();
	await loginPage(other, ACCOUNTS.admin);
	await other.goto('/admin/utilisateurs');
	await waitForHydration(other);

	await disable(page);
	await expect(page.getByRole('status')).toContainText(`Le compte de ${tom.email} est désactivé`);
	await disable(other);
	await expect(other.getByRole('alert')).toContainText(
		`Le compte de ${tom.email} est déjà désactivé`
	);
	// Read again: the row offers what can be done now.
	await expect(other.getByRole('button', { name: `Réactiver ${tom.email}` })).toBeVisible();
	await other.getByRole('button', { name: `Réactiver ${tom.email}` }).click();
	await expect(other.getByRole('status')).toContainText(`Le compte de ${tom.email} est réactivé`);

	// An invitation: the other admin sends it again while this page still shows the first one.
	const email = 'irene.invitee@lot-numerique.test';
	await page.getByLabel('Adresse électronique').fill(email);
	await page.getByLabel('Nom et prénom').fill('Irène Invitée');
	await page.getByLabel('Rôle').selectOption('commission');
	await page.getByRole('button', { name: CREATE }).click();
	await expect(page.locator('code.link')).toBeVisible();
	await other.goto('/admin/utilisateurs');
	await waitForHydration(other);
	await other.getByRole('button', { name: `Renvoyer l’invitation à ${email}` }).click();
	await expect(other.locator('code.link')).toBeVisible();
	const revoke = page.getByRole('button', { name: `Révoquer l’invitation d’${email}` });
	await revoke.click();
	await expect(page.getByRole('alert')).toContainText('rien n’a été révoqué');
	// Read again: revoked knowingly, its link no longer opens.
	await revoke.click();
	await expect(page.getByRole('status')).toContainText(`L’invitation d’${email} est révoquée`);
	await expect(revoke).toHaveCount(0);
	await otherContext.close();
});

// Accounts probe s57: one long unbroken name (120 « W », the limit) or a 195-character address
// made the accounts' table 2,300 to 4,000 px wide at 1280 px, every row scrolling sideways; the
// journal's lines about that account likewise. Such words wrap in their cells now.
test('a long unbroken name or address wraps in the accounts’ and the journal’s tables', async ({
	page
}, testInfo) => {
	const email = `${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.fr`;
	await loginPage(page, ACCOUNTS.admin);
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto('/admin/utilisateurs');
	await page.getByLabel('Adresse électronique').fill(email);
	await page.getByLabel('Nom et prénom').fill('W'.repeat(120));
	await page.getByLabel('Rôle').selectOption('commission');
	await page.getByRole('button', { name: CREATE }).click();
	await expect(page.locator('code.link')).toBeVisible();
	for (const [path, table] of [
		['/admin/utilisateurs', 'Comptes du portail'],
		['/admin/journal', 'Événements du journal']
	] as const) {
		await page.goto(path);
		for (const width of [1280, 390]) {
			await page.setViewportSize({ width, height: 900 });
			const area = page.getByRole('region', { name: table });
			await expect(area).toContainText('W'.repeat(20));
			const { shown, drawn, narrowest } = await area.evaluate((el) => ({
				shown: el.clientWidth,
				drawn: el.querySelector('table')!.scrollWidth,
				narrowest: Math.min(
					...[...el.querySelectorAll('.typed-name')].map((c) => c.getBoundingClientRect().width)
				)
			}));
			expect(drawn, `${path} at ${width} px`).toBeLessThanOrEqual(shown);
			// Yet a name's cell keeps room for a word (10rem): « numérique » was cut in the middle.
			expect(narrowest).toBeGreaterThanOrEqual(159);
			expect(await pageWidth(page)).toBeLessThanOrEqual(width);
			await screenshot(page, testInfo.outputPath(`${path.split('/').at(-1)}-long-${width}.png`));
		}
	}
});
