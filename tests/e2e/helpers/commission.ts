import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { waitForHydration } from './hydration';

/** A sitting created by a commission member through the form's action; its id. */
export async function createSitting(
	member: APIRequestContext,
	heldOn: string,
	place: string,
	title: string
): Promise<string | undefined> {
	const created = await member.post('/commission?/create', {
		form: { held_on: heldOn, place, title },
		maxRedirects: 0
	});
	return /seances\/(\d+)/.exec(created.headers().location ?? '')?.[1];
}

/**
 * A convened séance deleted from its page, as a member does it: its box says it is cancelled (not
 * « créée par erreur »), ticked, then « Supprimer la séance ». How many its cancellation was written
 * to, as the page it leads to says (`/commission?supprimee=ID`).
 */
export async function cancelConvenedSitting(page: Page, id: string | undefined): Promise<number> {
	await page.goto(`/commission/seances/${id}`);
	await waitForHydration(page);
	const section = page.getByRole('region', { name: 'Supprimer la séance' });
	await expect(section.getByLabel('créée par erreur')).toHaveCount(0);
	await section
		.getByLabel(
			'Cette séance déjà convoquée n’aura pas lieu : l’annuler, prévenir les personnes convoquées et la supprimer'
		)
		.check();
	await section.getByRole('button', { name: 'Supprimer la séance' }).click();
	await expect(page).toHaveURL(new RegExp(`/commission\\?supprimee=${id}$`));
	const notice = await page.getByRole('status').innerText();
	return Number(/(\d+)\spersonnes? convoquées?/.exec(notice)?.[1] ?? 0);
}
