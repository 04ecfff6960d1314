import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs, signInThroughForm } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { screenshotsAtWidths } from './helpers/screenshots';

// Every browser of this spec reaches its portal from 127.0.0.1: one shared address, as in a town
// hall or an office behind one public address. The spec has its own portal (helpers/portal.ts), so
// the address it blocks blocks no other spec.
test('behind a blocked shared address, a person who signed in from this browser before still gets in', async ({
	browser
}, testInfo) => {
	// Anne has signed in from her browser before: it keeps a device cookie.
	const anne = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await signInThroughForm(anne, ACCOUNTS.admin);
	await anne.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(anne.getByRole('link', { name: 'Connexion' })).toBeVisible();

	// Someone else on the same address tries passwords on many accounts until it is blocked.
	const neighbour = await apiAs(null);
	const statuses: number[] = [];
	for (let i = 0; i < 22; i++) {
		const answer = await neighbour.post('/connexion', {
			form: { email: `voisin${i}@lot-numerique.test`, password: `devinette ${i}` }
		});
		statuses.push(answer.status());
	}
	// 20 tries are free, the 21st is made and blocks the address: the 22nd is refused.
	expect(statuses).toEqual([...Array(21).fill(400), 429]);
	await neighbour.dispose();

	// Claude has never signed in from this browser: refused, in French, the address kept.
	const claude = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
	await claude.goto('/connexion');
	await claude.getByLabel('Adresse électronique').fill(ACCOUNTS.commission.email);
	await claude.getByLabel('Mot de passe').fill(ACCOUNTS.commission.password);
	await claude.getByRole('button', { name: 'Se connecter' }).click();
	await expect(claude.getByRole('alert')).toContainText('Trop de tentatives');
	await expect(claude.getByLabel('Adresse électronique')).toHaveValue(ACCOUNTS.commission.email);
	await expectNoAxeViolations(claude);
	await screenshotsAtWidths(claude, (file) => testInfo.outputPath(file), 'adresse-bloquee');

	// Anne's browser is not held by the address.
	await signInThroughForm(anne, ACCOUNTS.admin);
	await Promise.all([anne.context().close(), claude.context().close()]);
});
