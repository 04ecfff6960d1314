import type { Page, Response } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs, loginPage, portalDatabase, userCreate } from './helpers/accounts';
import { createSitting } from './helpers/commission';
import { screenshotsAtWidths } from './helpers/screenshots';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';

// Without JavaScript, a form's success is answered by a redirect to its page (Post/Redirect/Get,
// src/lib/server/http/done-answer.ts): the history holds a GET, so neither Back nor a reload sends
// the form again (no « Confirmer le nouvel envoi du formulaire »), and the page says what was done.

test.use({ javaScriptEnabled: false });

/**
 * Sends a form with `send`, answered 303 to `path` with its marker, where `confirmation` is said
 * (role="status"); then a reload and Back from another page send nothing and show it again.
 */
async function sentOnce(page: Page, send: () => Promise<void>, path: string, confirmation: RegExp) {
	const posted: string[] = [];
	page.on('request', (request) => {
		if (request.method() !== 'GET') posted.push(request.url());
	});
	const [answer] = await Promise.all([
		page.waitForResponse((response: Response) => response.request().method() === 'POST'),
		send()
	]);
	expect(answer.status()).toBe(303);
	expect(posted).toHaveLength(1);
	const landed = new URL(page.url());
	expect(landed.pathname).toBe(path);
	expect(landed.searchParams.get('fait')).not.toBeNull();
	const status = page.getByRole('status').filter({ hasText: confirmation });
	await expect(status).toBeVisible();
	// The marker does not stick to the page's forms: sent again, they go to their action alone.
	for (const action of await page
		.locator('main form[method="POST" i]')
		.evaluateAll((forms) => forms.map((form) => (form as HTMLFormElement).action)))
		expect(new URL(action).searchParams.has('fait')).toBe(false);
	await page.reload();
	await expect(status).toBeVisible();
	await page.goto('/');
	await page.goBack();
	expect(page.url()).toBe(landed.href);
	await expect(status).toBeVisible();
	expect(posted).toHaveLength(1);
}

test('the séance page’s forms lead to the page again, which says what was done', async ({
	page
}, testInfo) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, daysAfter(parisToday(), 40), 'Souillac', 'Commission');
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	// A refusal stays a refusal: the page answers with the form, what was typed kept, no redirect.
	await page.getByLabel('Point libre').fill(' ');
	const [refused] = await Promise.all([
		page.waitForResponse((response) => response.request().method() === 'POST'),
		page.getByRole('button', { name: 'Ajouter le point' }).click()
	]);
	expect(refused.status()).toBe(400);
	await page.getByLabel('Point libre').fill('Schéma des mobilités');
	await sentOnce(
		page,
		() => page.getByRole('button', { name: 'Ajouter le point' }).click(),
		`/commission/seances/${id}`,
		/^Point ajouté\.$/
	);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'seance-point-ajoute');
	await page.getByLabel('Invité').fill('Marie Curie');
	await sentOnce(
		page,
		() => page.getByRole('button', { name: 'Ajouter l’invité' }).click(),
		`/commission/seances/${id}`,
		/^Invité enregistré\.$/
	);
});

// « Envoyer la convocation » answered the page itself (200): Back or a reload could send it again.
test('the convocation leads to the page again, its summary read from the convocation, not the address', async ({
	page
}, testInfo) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, daysAfter(parisToday(), 41), 'Gramat', 'Commission');
	await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes: '9-1' } });
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	await sentOnce(
		page,
		() => page.getByRole('button', { name: 'Envoyer la convocation' }).click(),
		`/commission/seances/${id}`,
		/^Convocation (envoyée à|écrite pour) \d+\smembres? de la commission et \d+\spartenaires? concernés?/
	);
	// Only the key in the address: no count, no name, no e-mail address.
	expect([...new URL(page.url()).searchParams.keys()]).toEqual(['fait']);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'seance-convoquee');
	// Pressed again with nothing changed: refused on the page itself, no redirect.
	const [again] = await Promise.all([
		page.waitForResponse((response) => response.request().method() === 'POST'),
		page.getByRole('button', { name: 'Envoyer la convocation' }).click()
	]);
	expect(again.status()).toBe(409);
	await expect(page.getByRole('alert')).toContainText('Rien n’a changé depuis la convocation');
});

test('the accounts’ buttons lead to the list again, which names the account', async ({ page }) => {
	const admin = await apiAs(ACCOUNTS.admin);
	const email = 'dominique.sansscript@lot-numerique.test';
	await admin.post('/admin/utilisateurs?/create', {
		form: { email, name: 'Dominique Sansscript', role: 'commission', organisation: '' }
	});
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/utilisateurs');
	await sentOnce(
		page,
		() => page.getByRole('button', { name: `Désactiver ${email}` }).click(),
		'/admin/utilisateurs',
		/est désactivé et toutes ses sessions sont fermées\./
	);
	await expect(page.getByRole('status')).toContainText(email);
});

test('one’s account’s forms lead to the page again; a new password keeps the person signed in', async ({
	page
}, testInfo) => {
	const person = {
		email: 'lou.sansscript@lot-numerique.test',
		name: 'Lou Sansscript',
		role: 'commission' as const,
		password: 'les gabarres de la dordogne au soir'
	};
	expect(userCreate(await portalDatabase(), person).status).toBe(0);
	await loginPage(page, person);
	await page.goto('/compte');
	await sentOnce(
		page,
		() => page.getByRole('button', { name: 'Enregistrer mes préférences' }).click(),
		'/compte',
		/Vos préférences de courriel sont enregistrées\./
	);
	const next = 'le pont valentré sous la pluie';
	await page.getByLabel('Mot de passe actuel').fill(person.password);
	await page.getByLabel(/^Nouveau mot de passe \(/).fill(next);
	await page.getByLabel('Nouveau mot de passe, encore une fois').fill(next);
	await sentOnce(
		page,
		() => page.getByRole('button', { name: 'Changer le mot de passe' }).click(),
		'/compte',
		/Votre mot de passe a été changé\. Aucune autre session n’était ouverte\./
	);
	await screenshotsAtWidths(page, (file) => testInfo.outputPath(file), 'compte-mot-de-passe');
	// The session the change opened came with the redirect: still signed in, on another page too.
	await page.goto('/compte');
	await expect(page.getByRole('heading', { name: 'Mon compte' })).toBeVisible();
});
