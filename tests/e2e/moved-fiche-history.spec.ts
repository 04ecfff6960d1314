import { expect, test } from './helpers/portal';
import { ACCOUNTS, signedIn } from './helpers/accounts';

// Walk s58: Back to a fiche's former address after it moved showed the fiche under its new code
// while the address bar kept the former one (« Modifier la fiche 10-3 » at /admin/plan/fiches/11-1):
// SvelteKit follows the load's redirect on Back and Forward without rewriting the address.
test('Back to a fiche’s former address after its move shows the address of its new code', async ({
	browser
}) => {
	const { context, page } = await signedIn(browser, ACCOUNTS.admin, {
		path: '/admin/plan/fiches/11-1'
	});
	await page.getByLabel(/^Objectif/).selectOption({
		label: '10. Lutter contre la fracture numérique en favorisant l’inclusion numérique pour tous'
	});
	await page.locator('#reason').fill('Rattachée à l’inclusion numérique');
	await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
	await expect(page).toHaveURL(/\/admin\/plan\/fiches\/10-3\?enregistre=1$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifier la fiche 10-3');

	await page.goBack();
	await expect(page).toHaveURL(/\/admin\/plan\/fiches\/10-3$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifier la fiche 10-3');
	// The history is still SvelteKit's: Forward returns to the page the save led to.
	await page.goForward();
	await expect(page).toHaveURL(/\/admin\/plan\/fiches\/10-3\?enregistre=1$/);
	await page.goBack();
	await expect(page).toHaveURL(/\/admin\/plan\/fiches\/10-3$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifier la fiche 10-3');
	await context.close();
});
