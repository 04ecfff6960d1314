import type { Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, loginPage } from './helpers/accounts';

/** The texts of `page`'s main content naming an English expression outside any `lang="en"`. */
function unmarkedEnglish(page: Page): Promise<string[]> {
	return page.locator('main').evaluate((main) => {
		const english = /(?<![\p{L}-])(open innovation|smart|open data|data center)(?![\p{L}-])/iu;
		const found: string[] = [];
		const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
		while (walker.nextNode()) {
			const node = walker.currentNode;
			if (english.test(node.textContent ?? '') && !node.parentElement?.closest('[lang^=en]'))
				found.push((node.textContent ?? '').trim().slice(0, 60));
		}
		return found;
	});
}

test('English expressions are marked lang="en" in the figures’ tables, the priorities and the partner’s pages', async ({
	page
}) => {
	for (const path of ['/tableau-de-bord', '/commission/priorites']) {
		await page.goto(path);
		expect(await unmarkedEnglish(page), path).toEqual([]);
	}
	await expect(
		page.getByRole('link', { name: /dans l’open data/ }).locator('[lang="en"]')
	).toHaveText('open data');
	await loginPage(page, ACCOUNTS.partner);
	expect(await unmarkedEnglish(page), '/espace').toEqual([]);
	await expect(page.locator('main [lang="en"]').first()).toBeAttached();
	await page.goto('/espace/fiches/5-1/suivi');
	await expect(page.locator('.lead a [lang="en"]')).toHaveText('open data');
});
