import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs, loginPage, signedIn, signInThroughForm } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { sendAndWait } from './helpers/forms';
import { screenshot } from './helpers/screenshots';
import { parisToday } from '../../src/lib/utils/dates';
import { formatDate } from '../../src/lib/utils/format';
import { waitForHydration } from './helpers/hydration';

/** A measurement comment of 100 characters without a space, as a pasted web address. */
const LONG_WORD = `https://exemple.fr/${'a'.repeat(81)}`;

/** An update of a fiche submitted by a plain form post, as the partner's client; its id. */
async function submitUpdate(partner: APIRequestContext, code: string, done: string) {
	const answer = await partner.post(`/espace/fiches/${code}/suivi`, {
		form: {
			reported_on: '2026-03-01',
			status: 'en_cours',
			progress: '5',
			done,
			next_steps: '',
			difficulties: '',
			submission_key: `soumission-${code}`,
			version: '',
			intent: 'submit'
		},
		maxRedirects: 0
	});
	expect(answer.status()).toBe(303);
	const id = /soumis=(\d+)/.exec(answer.headers().location ?? '')?.[1];
	expect(id).toBeTruthy();
	return id;
}

test('a partner reports progress, staff validate it, and the public fiche and open data show it', async ({
	browser
}, testInfo) => {
	// The longest journey (three people, the open-data files checked, two fiches' measurements at
	// two widths): 60 s ran out twice on a loaded two-core machine before the fiche was reached.
	test.setTimeout(90_000);
	const partnerContext = await browser.newContext();
	const page = await partnerContext.newPage();
	await loginPage(page, ACCOUNTS.partner);
	await expect(page).toHaveURL(/\/espace$/);
	await expect(page.locator('h1')).toHaveText('Mon espace — CDG46');
	const row = page.getByRole('row', { name: /9-1 — Partage de processus SI/ });
	await expect(row).toContainText('porteur');
	await expect(row).toContainText('Jamais mise à jour');
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('espace-partenaire.png'));

	await row.getByRole('link', { name: /Nouvelle mise à jour/ }).click();
	await expect(page.locator('h1')).toHaveText('Nouvelle mise à jour de la fiche 9-1');

	// Bad input: every field gets a French message and keeps what was typed.
	await page.getByLabel('Date de la mise à jour').fill('2031-01-01');
	await page.getByLabel(/Avancement en %/).fill('150');
	await page.getByLabel('Ce qui a été fait').fill('');
	await page.getByLabel('Valeur').fill('douze');
	await page.getByLabel('Prochaines étapes').fill('Ne pas perdre ce texte');
	await page.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	// Named in the summary at the top, with a link each, and under each field.
	await expect(page.getByRole('alert')).toContainText(
		'Rien n’a été enregistré\u00a0: 5\u00a0champs à corriger'
	);
	const form = page.locator('#suivi');
	await expect(
		form.getByText(
			`La date de la mise à jour ne peut pas être dans le futur : au plus tard aujourd’hui, le ${formatDate(parisToday())}.`
		)
	).toBeVisible();
	await expect(form.getByText('L’avancement est un pourcentage entre 0 et 100.')).toBeVisible();
	await expect(
		form.getByText('Décrivez ce qui a été fait depuis la dernière mise à jour.')
	).toBeVisible();
	await expect(
		form.getByText('La valeur doit être un nombre (exemple : 12 ou 12,5).')
	).toBeVisible();
	await expect(page.getByLabel('Prochaines étapes')).toHaveValue('Ne pas perdre ce texte');
	await expect(page.getByLabel(/Avancement en %/)).toHaveValue('150');
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('suivi-erreurs.png'));

	await page.getByLabel('Date de la mise à jour').fill('2026-02-15');
	await page.getByLabel(/Avancement en %/).fill('35');
	await page.getByLabel('Statut de la fiche').selectOption('en_cours');
	await page
		.getByLabel('Ce qui a été fait')
		.fill(
			'<script>alert("x")</script> Trois agents référents désignés.\n- SDAIL rencontré\n- CDG46 mobilisé'
		);
	// A long month: « 30 septembre 2025 » does not break (no-break spaces), the widest date.
	await page.getByLabel('Date de la mesure').fill('2025-09-30');
	// « Gain d’efficacité du service et économies réalisées »: decimals allowed.
	await page.getByLabel('Valeur').fill('12,5');
	// A comment of one unbroken word (a pasted address): on the public fiche it must not widen the
	// measurement table.
	await page.getByLabel(/^Commentaire/).fill(LONG_WORD);
	await page.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(page).toHaveURL(/\/espace\?soumis=\d+$/);
	await expect(page.getByRole('status')).toContainText(
		'Votre mise à jour de la fiche 9-1 est soumise à Lot numérique.'
	);
	await expect(page.getByText('Soumise, en attente de validation').first()).toBeVisible();

	// Not public yet.
	const anonymous = await apiAs(null);
	expect(await (await anonymous.get('/fiches/9-1')).text()).not.toContain('Trois agents référents');

	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await loginPage(admin, ACCOUNTS.admin);
	await admin.goto('/admin/suivis');
	await expectNoAxeViolations(admin);
	const queueRow = admin.getByRole('row', { name: /9-1 — Partage de processus SI.*35 %/ });
	// The organisation and who wrote it, a space between (not « CDG46(saisie par … »).
	await expect(queueRow.getByRole('cell').nth(1)).toHaveText(/ \(saisie par [^)]+\)$/);
	// Its link names the fiche, the organisation and the date, as the row shows them: another
	// organisation's update of the fiche waiting has a link of another name.
	const organisation = (await queueRow.getByRole('cell').nth(1).textContent())!.replace(
		/ \(saisie par [^)]+\)$/,
		''
	);
	await expect(queueRow.getByRole('link')).toHaveAccessibleName(
		new RegExp(
			`^Relire la mise à jour de la fiche 9-1 de ${organisation} du \\d{1,2}\\s\\S+\\s\\d{4}$`
		)
	);
	await queueRow.getByRole('link', { name: /Relire/ }).click();
	await expect(admin.locator('h1')).toHaveText(
		/^Relire la mise à jour n°\u00a0\d+ de la fiche 9-1$/
	);
	await expect(
		admin.getByText('<script>alert("x")</script> Trois agents référents désignés.')
	).toBeVisible();
	await expectNoAxeViolations(admin);
	await screenshot(admin, testInfo.outputPath('admin-relecture.png'));
	// A return comment begun, then « Valider » chosen after all: the validation leads to its list
	// without a question about the comment (asked after the validation, it would strand the page).
	await admin.getByLabel(/Commentaire pour le partenaire/).fill('Précisez les dates');
	const questions: string[] = [];
	admin.on('dialog', (dialog) => {
		questions.push(dialog.message());
		void dialog.dismiss();
	});
	await admin.getByRole('button', { name: 'Valider et publier' }).click();
	await expect(admin.getByRole('status')).toContainText(
		'Mise à jour de la fiche 9-1 validée et publiée.'
	);
	expect(questions).toEqual([]);
	// On the list it leads to, the confirmation has the focus: it is read.
	await expect(admin.getByRole('status')).toBeFocused();

	await page.goto('/fiches/9-1');
	const history = page.getByRole('region', { name: 'Historique' });
	await expect(history).toContainText(
		'<script>alert("x")</script> Trois agents référents désignés.'
	);
	await expect(history).toContainText('Rapporté par CDG46');
	await expect(page.getByText('35 %').first()).toBeVisible();
	await expect(page.getByRole('cell', { name: '12,5' })).toBeVisible();
	await screenshot(page, testInfo.outputPath('fiche-9-1-publiee.png'));
	// At 390 and 320 px the measurement table stays within its scrolling area: the comment goes
	// under the date and the value, and the long comment breaks (overflow-wrap: anywhere) rather
	// than push the « Commentaire » column out of sight. The fiche 14-1's seeded measurement has a
	// unit, « 10 communes », which does not break either.
	for (const [code, value] of [
		['9-1', /^12,5$/],
		['14-1', /^10\scommunes$/]
	] as const) {
		await page.goto(`/fiches/${code}`);
		for (const width of [390, 320]) {
			await page.setViewportSize({ width, height: 844 });
			const measurements = page.getByRole('region', { name: /^Mesures de l’indicateur 1/ });
			await expect(measurements.getByRole('cell', { name: value })).toBeVisible();
			await expect(measurements.getByRole('columnheader', { name: 'Commentaire' })).toBeVisible();
			const { scrollWidth, clientWidth } = await measurements.evaluate((area) => ({
				scrollWidth: area.scrollWidth,
				clientWidth: area.clientWidth
			}));
			expect(scrollWidth, `/fiches/${code} à ${width} px`).toBeLessThanOrEqual(clientWidth);
			await screenshot(measurements, testInfo.outputPath(`fiche-${code}-mesures-${width}.png`));
		}
		await page.setViewportSize({ width: 1280, height: 720 });
	}
	await page.goto('/fiches/9-1');
	await expect(
		page.getByRole('region', { name: /^Mesures de l’indicateur 1/ }).getByRole('cell', {
			name: LONG_WORD
		})
	).toBeVisible();

	// The anonymous copy kept before the validation is not served any more.
	expect(await (await anonymous.get('/fiches/9-1')).text()).toContain('Trois agents référents');
	const plan = await (await anonymous.get('/donnees/plan.json')).json();
	const fiche = plan.fiches.find((f: { code: string }) => f.code === '9-1');
	expect(fiche).toMatchObject({ status: 'en_cours', progress: 35, last_update: '2026-02-15' });
	expect(fiche.indicators[0]).toMatchObject({
		id: '9-1-1',
		latest: { date: '2025-09-30', value: 12.5 },
		measurement_count: 1
	});
	const measures = await (await anonymous.get('/donnees/mesures-2025.csv')).text();
	expect(measures).toContain('9-1,9-1-1,');
	expect(measures).toContain(',2025-09-30,12.5\n');
	for (const file of ['plan.json', 'mesures.csv', 'mises-a-jour.csv'])
		expect(await (await anonymous.get(`/donnees/${file}`)).text()).not.toMatch(
			/paul\.partenaire|Paul Partenaire/
		);

	await admin.goto('/admin/journal?action=update.validated');
	await expect(
		admin.getByRole('cell', { name: /Mise à jour de la fiche 9-1 validée/ }).first()
	).toBeVisible();
	await expectNoAxeViolations(admin);
	await anonymous.dispose();
	await partnerContext.close();
	await adminContext.close();
});

test('a returned update comes back to the partner with the comment', async ({ browser }) => {
	const partner = await apiAs(ACCOUNTS.partner);
	const id = await submitUpdate(partner, '1-2', 'Questionnaire envoyé');
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await loginPage(admin, ACCOUNTS.admin);
	await admin.goto('/admin/suivis');
	await admin
		.getByRole('row', { name: /1-2 — Formations/ })
		.getByRole('link', { name: /Relire/ })
		.click();
	await admin.getByRole('button', { name: 'Renvoyer pour correction' }).click();
	await expect(
		admin.locator('p.field-error', { hasText: 'Expliquez au partenaire ce qu’il doit corriger.' })
	).toBeVisible();
	await admin
		.getByLabel(/Commentaire pour le partenaire/)
		.fill('Merci : indiquez le nombre de réponses reçues.');
	await admin.getByRole('button', { name: 'Renvoyer pour correction' }).click();
	await expect(admin).toHaveURL(new RegExp(`/admin/suivis\\?fait=${id}$`));
	await expect(admin.getByRole('status')).toContainText(/Mise à jour de la fiche 1-2 renvoyée à /);
	await admin.goto(`/admin/suivis/${id}`);
	await expect(admin.locator('h1')).toHaveText(
		`Mise à jour n°\u00a0${id} de la fiche 1-2 (renvoyée)`
	);

	// Said with the day it was returned, on each page that shows the comment.
	const returnedDay = formatDate(new Date().toISOString());
	const returnedToday = `Renvoyée pour correction le ${returnedDay} par Lot numérique : Merci : indiquez le nombre de réponses reçues.`;
	const partnerContext = await browser.newContext();
	const page = await partnerContext.newPage();
	await loginPage(page, ACCOUNTS.partner);
	await expect(page.getByText(returnedToday)).toBeVisible();
	// Typed with a plain space before « : »: shown with a no-break one, so no line starts with it,
	// on each page where the partner reads it.
	const typed = 'Merci\u00a0: indiquez le nombre de réponses reçues.';
	expect(await page.locator('.typed-text').first().textContent()).toBe(typed);
	await page.goto(`/espace/suivis/${id}`);
	expect(await page.locator('.typed-text').first().textContent()).toBe(typed);
	await page.goto('/espace');
	// In the list of updates under way and in the fiches' table: the same link (walkthrough s46).
	await page
		.getByRole('link', { name: 'Reprendre et soumettre la mise à jour de la fiche 1-2' })
		.first()
		.click();
	await expect(page.getByText(returnedToday)).toBeVisible();
	expect(await page.locator('.typed-text').first().textContent()).toBe(typed);
	await expect(page.getByLabel('Ce qui a été fait')).toHaveValue('Questionnaire envoyé');

	// Saved as a draft to finish later: the comment is still what to correct, on each of the three
	// pages, until the update is sent again (it vanished with the « returned » state).
	await page.getByLabel('Ce qui a été fait').fill('Questionnaire envoyé : réponses en cours');
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).first().click();
	await expect(page).toHaveURL(/enregistre=1/);
	const stillShown = async () => {
		await expect(page.locator('main')).toContainText(returnedToday);
		await expect(page.locator('main')).toContainText('Enregistrée en brouillon depuis');
	};
	await stillShown();
	await page.goto('/espace');
	await stillShown();
	await page.goto(`/espace/suivis/${id}`);
	await stillShown();
	await page.goto(`/espace/fiches/1-2/suivi?brouillon=${id}`);

	// Corrected and sent again: the review page says what was asked, when and by whom, to check the
	// answer.
	await page.getByLabel('Ce qui a été fait').fill('Questionnaire envoyé : 41 réponses reçues');
	await page.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(page).not.toHaveURL(/\/suivi$/);
	await admin.goto('/admin/suivis');
	await admin
		.getByRole('row', { name: /1-2 — Formations/ })
		.getByRole('link', { name: /Relire/ })
		.click();
	await expect(admin.locator('main')).toContainText(
		`Renvoyée pour correction le ${returnedDay} par`
	);
	await expect(admin.locator('main')).toContainText('indiquez le nombre de réponses reçues.');
	await partner.dispose();
	await adminContext.close();
	await partnerContext.close();
});

test('leaving a half-typed update asks first, and keeps the typing when the partner stays', async ({
	page
}) => {
	await loginPage(page, ACCOUNTS.partner);
	const questions: string[] = [];
	page.on('dialog', (dialog) => {
		questions.push(dialog.message());
		void dialog.dismiss();
	});
	const leave = () =>
		page
			.getByRole('navigation', { name: 'Mon compte' })
			.getByRole('link', { name: 'Mon espace' })
			.click();
	const form = '/espace/fiches/5-1/suivi';

	// Untouched, or typed and put back: nothing to lose, nothing asked. The form's script first:
	// typing before it loads would be taken for the form's starting values.
	await page.goto(form);
	await waitForHydration(page);
	await page.getByLabel('Ce qui a été fait').fill('Trois réunions');
	await page.getByLabel('Ce qui a été fait').fill('');
	await leave();
	await expect(page).toHaveURL(/\/espace$/);

	await page.goto(form);
	await waitForHydration(page);
	await page.getByLabel('Ce qui a été fait').fill('Trois réunions tenues');
	await leave();
	await expect
		.poll(() => questions)
		.toEqual(['Votre saisie n’est pas enregistrée. Quitter cette page et la perdre ?']);
	await expect(page).toHaveURL(new RegExp(`${form}$`));
	await expect(page.getByLabel('Ce qui a été fait')).toHaveValue('Trois réunions tenues');

	// Saved as a draft: what the form holds is kept, leaving asks nothing.
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(page).toHaveURL(/brouillon=\d+&enregistre=1$/);
	await leave();
	await expect(page).toHaveURL(/\/espace$/);
	expect(questions).toHaveLength(1);
});

test('staff deciding on an update its partner changed meanwhile are told so and read it again, their comment kept', async ({
	browser
}) => {
	const partnerApi = await apiAs(ACCOUNTS.partner);
	const id = await submitUpdate(partnerApi, '12-1', 'Première version du compte rendu');

	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await loginPage(admin, ACCOUNTS.admin);
	await admin.goto(`/admin/suivis/${id}`);
	await expect(admin.getByText('Première version du compte rendu')).toBeVisible();
	// Submitted: the page is for deciding on it.
	await expect(admin).toHaveTitle(
		`Relire la mise à jour n°\u00a0${id} de la fiche 12-1 — Administration — SDUSN du Lot`
	);

	// Meanwhile the partner withdraws it, rewrites it and submits it again.
	const partnerContext = await browser.newContext();
	const partner = await partnerContext.newPage();
	await loginPage(partner, ACCOUNTS.partner);
	await partner.goto(`/espace/suivis/${id}`);
	await partner
		.getByRole('button', { name: 'Retirer la soumission (revenir au brouillon)' })
		.click();
	await partner.getByLabel('Ce qui a été fait').fill('Deuxième version du compte rendu');
	await partner.getByRole('button', { name: 'Soumettre à Lot numérique' }).click();
	await expect(partner).toHaveURL(/\/espace\?soumis=\d+$/);

	// The admin's decision is refused, and the page now shows what the partner sent.
	await admin.getByLabel(/Commentaire pour le partenaire/).fill('Précisez les dates.');
	await admin.getByRole('button', { name: 'Renvoyer pour correction' }).click();
	await expect(admin.getByRole('alert')).toContainText(
		'Cette mise à jour a été modifiée depuis l’ouverture de la page : relisez-la avant de décider.'
	);
	await expect(admin.getByText('Deuxième version du compte rendu')).toBeVisible();
	await expect(admin.getByLabel(/Commentaire pour le partenaire/)).toHaveValue(
		'Précisez les dates.'
	);

	// Withdrawn again: the refusal says so and the page no longer offers a decision.
	await partner.goto(`/espace/suivis/${id}`);
	await partner
		.getByRole('button', { name: 'Retirer la soumission (revenir au brouillon)' })
		.click();
	await expect(partner.getByRole('status')).toContainText('La soumission est retirée');
	await admin.getByRole('button', { name: 'Renvoyer pour correction' }).click();
	await expect(admin.getByRole('alert')).toContainText(
		'Le partenaire a retiré cette mise à jour entre-temps'
	);
	await expect(admin.getByRole('button', { name: 'Valider et publier' })).toHaveCount(0);
	// A draft is its organisation's alone: staff read whose it is, not what it says; the comment
	// they typed is still there to copy.
	await expect(admin.getByText('État : brouillon.')).toBeVisible();
	await expect(admin.locator('h1')).toHaveText(
		`Mise à jour n°\u00a0${id} de la fiche 12-1 (brouillon)`
	);
	await expect(admin.getByText('Deuxième version du compte rendu')).toHaveCount(0);
	await expect(admin.getByText('Votre commentaire, qui n’a pas été envoyé')).toBeVisible();
	await expect(admin.getByText('Précisez les dates.')).toBeVisible();
	await admin.reload();
	await expect(admin.getByText('Deuxième version du compte rendu')).toHaveCount(0);
	await partnerApi.dispose();
	await adminContext.close();
	await partnerContext.close();
});

test('login: French messages, throttling, and no way in with a wrong password', async ({
	page
}, testInfo) => {
	await page.goto('/connexion');
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByText('Indiquez votre adresse électronique.')).toBeVisible();
	await page.getByLabel('Adresse électronique').fill(ACCOUNTS.throttled.email);
	const loginForm = page.locator('form', {
		has: page.getByRole('button', { name: 'Se connecter' })
	});
	for (let i = 0; i < 6; i++) {
		await page.getByLabel('Mot de passe').fill(`mauvais mot de passe ${i}`);
		// Each answer before the next try: the alert of the previous one is already visible.
		await sendAndWait(loginForm, () => page.getByRole('button', { name: 'Se connecter' }).click());
		await expect(page.getByRole('alert')).toBeVisible();
	}
	await page.getByLabel('Mot de passe').fill(ACCOUNTS.throttled.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('alert')).toContainText('Trop de tentatives de connexion');
	await expect(page.getByLabel('Adresse électronique')).toHaveValue(ACCOUNTS.throttled.email);
	await screenshot(page, testInfo.outputPath('connexion-bloquee.png'), { fullPage: false });
	const api = await apiAs(null);
	const response = await api.post('/connexion', {
		form: { email: ACCOUNTS.throttled.email, password: ACCOUNTS.throttled.password }
	});
	expect(response.status()).toBe(429);
	await api.dispose();
});

test('the session cookie is HttpOnly and SameSite=Lax, never readable by scripts', async ({
	page,
	context
}) => {
	await signInThroughForm(page, ACCOUNTS.commission);
	const cookie = (await context.cookies()).find((c) => c.name === 'sdusn_session');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
	expect(await page.evaluate(() => document.cookie)).not.toContain('sdusn_session');
	for (const path of ['/compte', '/']) {
		await page.goto(path);
		await expectNoAxeViolations(page);
	}
});

test('admin pages are accessible', async ({ page }, testInfo) => {
	await loginPage(page, ACCOUNTS.admin);
	for (const path of ['/admin', '/admin/utilisateurs', '/admin/journal']) {
		await page.goto(path);
		await expectNoAxeViolations(page);
	}
	await page.goto('/admin/utilisateurs');
	await page.getByLabel('Adresse électronique').fill('nouvelle.personne@lot.test');
	await page.getByLabel('Nom et prénom').fill('Nouvelle Personne');
	await page.getByRole('button', { name: 'Créer le compte et le lien d’invitation' }).click();
	await expect(
		page.locator('p.field-error', {
			hasText: 'Un partenaire appartient à une organisation : choisissez-la.'
		})
	).toBeVisible();
	await expect(page.getByLabel('Nom et prénom')).toHaveValue('Nouvelle Personne');
	await page.getByLabel('Organisation').selectOption({ label: 'CDG46' });
	await page.getByRole('button', { name: 'Créer le compte et le lien d’invitation' }).click();
	const link = (await page.locator('code.link').textContent())!;
	expect(link).toMatch(/\/invitation\/[a-z2-7]{24}\.[a-z2-7]{32}$/);
	await screenshot(page, testInfo.outputPath('admin-utilisateurs.png'));

	const invitee = await page.context().browser()!.newContext();
	const invited = await invitee.newPage();
	await invited.goto(new URL(link).pathname);
	await expectNoAxeViolations(invited);
	await invited.getByLabel(/^Mot de passe \(/).fill('azerty123456');
	await invited.getByLabel('Mot de passe, encore une fois').fill('azerty123456');
	await invited.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
	// Beside its field, and summed up at the top with its link (TokenPasswordForm).
	await expect(
		invited.getByRole('alert').getByRole('link', { name: /trop courant ou trop facile à deviner/ })
	).toBeVisible();
	await expect(invited.locator('#password-error')).toContainText('trop facile à deviner');
	await invited.getByLabel(/^Mot de passe \(/).fill('le causse de gramat sous la neige');
	await invited
		.getByLabel('Mot de passe, encore une fois')
		.fill('le causse de gramat sous la neige');
	await invited.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
	await expect(invited).toHaveURL(/\/espace\?mot-de-passe=enregistre$/);
	await invited.goto(new URL(link).pathname);
	await expect(invited.locator('h1')).toHaveText('Lien expiré ou déjà utilisé');
	await expect(invited).toHaveTitle('Lien expiré ou déjà utilisé — SDUSN du Lot');
	await expect(invited.locator('main')).toContainText(
		'Ce lien (invitation ou nouveau mot de passe envoyé par Lot numérique) n’est pas ou plus valable'
	);
	await invitee.close();
});

// Staff review s57: « Renvoyer pour correction » pressed, a comment typed, while « Valider » was
// under way: the return waited for the validation, whose answer led to the list; it was then
// refused on a page already left, and the comment typed was lost.
test('a return pressed while the validation is under way is not sent: the person is told it was validated, and keeps the comment', async ({
	browser
}) => {
	const partnerApi = await apiAs(ACCOUNTS.partner);
	const id = await submitUpdate(partnerApi, '6-1', 'Compte rendu validé pendant un renvoi');
	const { context, page: admin } = await signedIn(browser, ACCOUNTS.admin, {
		path: `/admin/suivis/${id}`
	});
	let release = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	let arrived = false;
	await admin.route(
		(url) => url.search === '?/valider',
		async (route) => {
			arrived = true;
			await released;
			await route.continue();
		}
	);
	await admin.getByRole('button', { name: 'Valider et publier' }).click();
	await expect.poll(() => arrived).toBe(true);
	const comment = 'Précisez le nombre de participants, s’il vous plaît.';
	await admin.getByLabel(/Commentaire pour le partenaire/).fill(comment);
	await admin.getByRole('button', { name: 'Renvoyer pour correction' }).click();
	await expect(admin.locator('form[action="?/renvoyer"]')).toHaveAttribute('aria-busy', 'true');
	release();
	// Validated: the list says so; the return was not sent, and says so with the comment typed,
	// to be copied (it was lost with the update's page).
	await expect(admin).toHaveURL(new RegExp(`/admin/suivis\\?fait=${id}$`));
	await expect(admin.getByRole('status')).toContainText(
		'Mise à jour de la fiche 6-1 validée et publiée.'
	);
	const alert = admin.getByRole('alert');
	await expect(alert).toContainText('Rien n’a été envoyé pour « Renvoyer pour correction »');
	await expect(alert).toContainText('Votre saisie, qui n’a pas été envoyée\u00a0:');
	await expect(alert.locator('.typed-text')).toHaveText(comment);
	await expect(alert).toBeFocused();
	// Left for another page without reloading (a link followed in the page): the alert and the
	// comment it shows back stay on the list only; they were on every page opened next.
	await admin.evaluate(() => document.documentElement.setAttribute('data-not-reloaded', ''));
	const errors: string[] = [];
	admin.on('pageerror', (error) => errors.push(error.message));
	await admin
		.getByRole('navigation', { name: 'Mon compte' })
		.getByRole('link', { name: 'Administration' })
		.click();
	await expect(admin).toHaveURL(/\/admin$/);
	await expect(admin.locator('h1')).toHaveText('Administration');
	await expect(admin.locator('html')).toHaveAttribute('data-not-reloaded', '');
	await expect(admin.locator('main')).not.toContainText(comment);
	await expect(admin.locator('[data-send-failed]')).toHaveCount(0);
	expect(errors).toEqual([]);
	await admin.goto(`/admin/suivis/${id}`);
	await expect(admin.locator('.details')).toContainText('validée et publiée');
	// Validated, the page is no longer one to review, and what it published is today's status and
	// advancement: « (aujourd’hui : en cours) » beside « En cours » said nothing.
	await expect(admin).toHaveTitle(
		`Mise à jour n°\u00a0${id} de la fiche 6-1 (validée) — Administration — SDUSN du Lot`
	);
	await expect(admin.locator('h1')).toHaveText(
		`Mise à jour n°\u00a0${id} de la fiche 6-1 (validée)`
	);
	await expect(admin.locator('.details')).not.toContainText('aujourd’hui');
	await context.close();
	await partnerApi.dispose();
});
