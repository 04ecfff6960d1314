import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { waitForHydration } from './hydration';

/** What an opening form is given; every fiche and no reminder unless said. */
interface Opening {
	title: string;
	/** ISO date. */
	deadline: string;
	/** As typed in « Rappels » (`-3`, `-7, -1`). */
	reminders?: string;
}

/**
 * A campaign opened from /admin/campagnes by the administrator signed in on `page`, as a person does
 * it: the form filled (for the fiches of the organisation labelled `organisation`, when given),
 * « Ouvrir la campagne », then its page (`?ouverte=1`). That page's address, without the query.
 */
export async function openCampaignFromPage(
	page: Page,
	opening: Opening & { organisation?: string }
): Promise<string> {
	await page.goto('/admin/campagnes');
	await waitForHydration(page);
	await page.getByLabel(/^Titre/).fill(opening.title);
	await page.getByLabel(/^Échéance/).fill(opening.deadline);
	if (opening.organisation) {
		await page.getByLabel('Fiches concernées').selectOption('organisation');
		await page.getByLabel(/^Organisation/).selectOption({ label: opening.organisation });
	}
	if (opening.reminders !== undefined) await page.getByLabel(/^Rappels/).fill(opening.reminders);
	await page.getByRole('button', { name: /^Ouvrir la campagne/ }).click();
	await expect(page).toHaveURL(/\/admin\/campagnes\/\d+\?ouverte=1$/);
	return page.url().replace(/\?.*$/, '');
}

/**
 * A campaign opened by an administrator's request context through the form's action (no script),
 * for the fiches of the organisation numbered `organisation` or those preparing the séance
 * `sitting`, when given; its id.
 */
export async function openCampaignThrough(
	admin: APIRequestContext,
	opening: Opening & { organisation?: number; sitting?: string }
): Promise<string> {
	const opened = await admin.post('/admin/campagnes?/open', {
		form: {
			title: opening.title,
			deadline: opening.deadline,
			scope: opening.organisation === undefined ? 'all' : 'organisation',
			axis: '',
			priority: '',
			organisation: opening.organisation === undefined ? '' : String(opening.organisation),
			sitting: opening.sitting ?? '',
			reminders: opening.reminders ?? ''
		},
		maxRedirects: 0
	});
	const id = /campagnes\/(\d+)/.exec(opened.headers().location ?? '')?.[1];
	expect(id, 'campagne ouverte').toBeDefined();
	return id!;
}

/** The campaign `id` closed by an administrator's request context, confirmed, as its form does. */
export async function closeCampaignThrough(admin: APIRequestContext, id: string): Promise<void> {
	const closed = await admin.post(`/admin/campagnes/${id}?/close`, {
		form: { confirm: 'oui' },
		maxRedirects: 0
	});
	expect(closed.status()).toBe(303);
}
