import { expect, test } from './helpers/portal';
import { ACCOUNTS } from './helpers/accounts';

/**
 * A refused form, with or without a script: the page's title says so first (RGAA 8.6), and each
 * field in error is named in a summary at the page's top, with a link to it, and tied to its
 * message (RGAA 11.10).
 */

test('a refused sign-in says « Erreur : » in its title, with or without script; a page opened afterwards does not', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/connexion');
	await expect(page).toHaveTitle('Connexion — SDUSN du Lot');
	await page.getByLabel('Adresse électronique').fill(ACCOUNTS.otherPartner.email);
	await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveTitle('Erreur\u00a0: Connexion — SDUSN du Lot');
	await page.goto('/connexion');
	await expect(page).toHaveTitle('Connexion — SDUSN du Lot');
	await context.close();

	// With a script, the same, from the answer the script applies.
	const scripted = await browser.newContext();
	const withScript = await scripted.newPage();
	await withScript.goto('/connexion');
	await withScript.getByLabel('Adresse électronique').fill(ACCOUNTS.otherPartner.email);
	await withScript.getByLabel('Mot de passe').fill('pas le bon mot de passe');
	await withScript.getByRole('button', { name: 'Se connecter' }).click();
	await expect(withScript.getByRole('alert')).toBeVisible();
	await expect(withScript).toHaveTitle('Erreur\u00a0: Connexion — SDUSN du Lot');
	await scripted.close();
});
