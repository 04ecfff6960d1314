import { expect, test } from './helpers/portal';
import { ACCOUNTS, signedIn } from './helpers/accounts';

// Pages rendered on the server only (csr = false) reached from a page with script: by the menu,
// they were rendered in the browser, threw (« KeptHtml is rendered on the server only »), and the
// page stayed as it was under the new address (s57). They load as a new document now.
test('a signed-in person on a page with script reaches the public pages by the menu', async ({
	browser
}) => {
	const { context, page } = await signedIn(browser, ACCOUNTS.admin, { path: '/admin' });
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	const menu = page.getByRole('navigation', { name: 'Menu principal' });
	for (const [name, path, heading] of [
		['Fiches-actions', '/fiches', 'Fiches-actions'],
		['Tableau de bord', '/tableau-de-bord', 'Tableau de bord'],
		['Organisations', '/organisations', 'Organisations']
	] as const) {
		await page.goto('/admin/suivis');
		await expect(page.locator('h1')).toHaveText('Mises à jour à valider');
		await menu.getByRole('link', { name, exact: true }).click();
		await expect(page).toHaveURL(path);
		await expect(page.locator('h1')).toHaveText(heading);
	}
	expect(errors).toEqual([]);
	await context.close();
});
