import { expect, test } from './helpers/portal';
import { ACCOUNTS, signedIn } from './helpers/accounts';
import { sendAndWait } from './helpers/forms';

/**
 * « Supprimer le brouillon »: a partner discards their organisation's draft, with a box to tick,
 * and lands on « Brouillon supprimé »; /espace no longer lists it. A second tab, and a colleague
 * saving the same draft meanwhile, are told what happened, the colleague's typing kept.
 */
test('a partner saves a draft, discards it after ticking the box; /espace no longer lists it; a second tab and a colleague saving are told', async ({
	browser
}) => {
	const paul = await signedIn(browser, ACCOUNTS.partner, { path: '/espace/fiches/6-1/suivi' });
	const a = paul.page;
	await a.getByLabel('Ce qui a été fait').fill('Brouillon à supprimer');
	await a.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(a.getByRole('status')).toContainText('Brouillon enregistré');
	const id = Number(/brouillon=(\d+)/.exec(a.url())?.[1]);
	expect(id).toBeGreaterThan(0);
	await a.goto('/espace');
	await expect(a.locator(`a[href$="brouillon=${id}"]`).first()).toBeVisible();

	// A colleague is writing in the same draft; a second tab of Paul's, without script, is open on
	// the confirmation.
	const chloe = await signedIn(browser, ACCOUNTS.colleague, {
		path: `/espace/fiches/6-1/suivi?brouillon=${id}`
	});
	const b = chloe.page;
	await b.getByLabel('Ce qui a été fait').fill('Saisie de Chloé en cours');
	const tab = await signedIn(browser, ACCOUNTS.partner, {
		path: `/espace/suivis/${id}`,
		javaScriptEnabled: false
	});

	// From the draft's form to its page, where the box is asked for.
	await a.goto(`/espace/fiches/6-1/suivi?brouillon=${id}`);
	await a.getByRole('link', { name: 'Supprimer le brouillon' }).click();
	await expect(a).toHaveURL(new RegExp(`/espace/suivis/${id}#supprimer$`));
	const discard = a.getByRole('button', { name: 'Supprimer le brouillon' });
	await sendAndWait(a.locator('form[action="?/supprimer"]'), () => discard.click());
	// Said beside the button, not at the top of the page (off-screen on a phone); the box points
	// to it.
	const refused = a.locator('#supprimer ~ div[role="alert"]');
	await expect(refused).toContainText('Cochez la case pour confirmer la suppression');
	await expect(a.getByRole('alert')).toHaveCount(1);
	const box = a.getByLabel(/supprimer le brouillon$/);
	await expect(box).toHaveAttribute('aria-invalid', 'true');
	await expect(box).toHaveAttribute('aria-describedby', (await refused.getAttribute('id')) ?? '?');
	await a.getByLabel(/supprimer le brouillon$/).check();
	await discard.click();
	await expect(a).toHaveURL(new RegExp(`/espace/suivis/${id}/supprime$`));
	await expect(a.locator('h1')).toHaveText('Brouillon supprimé');
	await expect(a.getByRole('status')).toContainText(
		'Le brouillon de la fiche 6-1 a été supprimé par Paul Partenaire'
	);
	await expect(a.getByRole('link', { name: /^Fiche 6-1 : / })).toBeVisible();
	await expect(a.getByRole('link', { name: 'Nouvelle mise à jour de la fiche 6-1' })).toBeVisible();

	await a.goto('/espace');
	await expect(a.locator(`a[href*="brouillon=${id}"]`)).toHaveCount(0);
	await expect(a.locator(`a[href="/espace/suivis/${id}"]`)).toHaveCount(0);

	// The second tab, without script: told it was discarded already, no error page.
	await tab.page.getByLabel(/supprimer le brouillon$/).check();
	await tab.page.getByRole('button', { name: 'Supprimer le brouillon' }).click();
	await expect(tab.page).toHaveURL(new RegExp(`/espace/suivis/${id}/supprime\\?deja=1$`));
	await expect(tab.page.getByRole('status')).toContainText('avait déjà été supprimé');

	// The colleague's save: refused in words, what she typed kept.
	await sendAndWait(b.locator('form#suivi'), () =>
		b.getByRole('button', { name: 'Enregistrer le brouillon' }).click()
	);
	await expect(b.getByRole('alert').first()).toContainText(
		'Ce brouillon de la fiche 6-1 a été supprimé par Paul Partenaire'
	);
	await expect(b.getByLabel('Ce qui a été fait')).toHaveValue('Saisie de Chloé en cours');

	// The fiche is free for a new update, under a new number.
	await a.goto('/espace/fiches/6-1/suivi');
	await expect(a.locator('h1')).toHaveText('Nouvelle mise à jour de la fiche 6-1');
	for (const context of [paul.context, chloe.context, tab.context]) await context.close();
});

for (const javaScriptEnabled of [true, false])
	test(`a draft discarded from another tab while it was being written: its save offers to keep the typing as a new update, which lands on a new draft (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async ({
		browser
	}) => {
		const paul = await signedIn(browser, ACCOUNTS.partner, {
			path: '/espace/fiches/6-1/suivi',
			javaScriptEnabled
		});
		const a = paul.page;
		const b = await paul.context.newPage();
		/** Discards the draft from tab B, as a person does on its page. */
		async function discardFromB(id: number) {
			await b.goto(`/espace/suivis/${id}`);
			await b.getByLabel(/supprimer le brouillon$/).check();
			await b.getByRole('button', { name: 'Supprimer le brouillon' }).click();
			await expect(b).toHaveURL(new RegExp(`/espace/suivis/${id}/supprime$`));
		}
		await a.getByLabel('Ce qui a été fait').fill('Brouillon supprimé entre-temps');
		await a.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
		await expect(a.getByRole('status')).toContainText('Brouillon enregistré');
		const id = Number(/brouillon=(\d+)/.exec(a.url())?.[1]);
		await discardFromB(id);

		await a.getByLabel('Ce qui a été fait').fill('Saisie à garder');
		await a.getByLabel('Prochaines étapes').fill('Relancer les communes');
		await a.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
		const alert = a.getByRole('alert').first();
		await expect(alert).toContainText(
			'Ce brouillon de la fiche 6-1 a été supprimé par Paul Partenaire'
		);
		await expect(alert).toContainText('en fait un nouveau brouillon de la fiche');
		for (const refused of ['Enregistrer le brouillon', 'Soumettre à Lot numérique'])
			await expect(a.getByRole('button', { name: refused })).toHaveCount(0);
		await expect(a.getByLabel('Ce qui a été fait')).toHaveValue('Saisie à garder');
		const asNew = a.getByRole('button', {
			name: 'Enregistrer ma saisie comme nouvelle mise à jour'
		});
		await expect(asNew).toHaveCount(1);
		await asNew.click();
		await expect(a).toHaveURL(/\/espace\/fiches\/6-1\/suivi\?brouillon=\d+&enregistre=nouvelle$/);
		const created = Number(/brouillon=(\d+)/.exec(a.url())?.[1]);
		expect(created).not.toBe(id);
		await expect(a.getByLabel('Ce qui a été fait')).toHaveValue('Saisie à garder');
		await expect(a.getByLabel('Prochaines étapes')).toHaveValue('Relancer les communes');
		// The fiche left free for the next test.
		await discardFromB(created);
		await paul.context.close();
	});
