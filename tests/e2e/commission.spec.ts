import type { Dialog, Page } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { fieldsReleased } from './helpers/forms';
import { ACCOUNTS, apiAs, loginPage } from './helpers/accounts';
import { expectNoAxeViolations, expectNoAxeViolationsWithoutScript } from './helpers/axe';
import { cancelConvenedSitting, createSitting } from './helpers/commission';
import { closeCampaignThrough, openCampaignThrough } from './helpers/campaigns';
import { screenshot } from './helpers/screenshots';
import { daysAfter, daysBefore, parisToday } from '../../src/lib/utils/dates';
import { waitForHydration } from './helpers/hydration';

test('the seeded sitting of 1 February 2019 is public with its four opinions', async ({ page }) => {
	await page.goto('/commission');
	await page.getByRole('link', { name: /Séance du 1er\sfévrier\s2019/ }).click();
	await expect(page.locator('h1')).toHaveText('Relevé de décisions du 1er février 2019');
	await expect(page.getByText('Avis favorable', { exact: true })).toHaveCount(3);
	await expect(page.getByText(/IntercoTour au Centre universitaire Maurice-Faure/)).toBeVisible();
	await expectNoAxeViolations(page);
	await page.goto('/fiches/13-1');
	await expect(
		page.getByRole('region', { name: 'Priorité et décisions de la commission' })
	).toContainText('Piloter le groupe de travail relatif à la visibilité');
});

test('a member prepares a sitting, raises 4-1 to priority 1 with a rationale and closes it', async ({
	browser
}, testInfo) => {
	// A long journey (two tabs, axe scans at each step).
	test.slow();
	const context = await browser.newContext();
	const page = await context.newPage();
	await loginPage(page, ACCOUNTS.commission);
	await page.goto('/commission');
	await expectNoAxeViolations(page);

	// A date field refuses 30 February itself and sends nothing: the date is asked for.
	await page.getByLabel('Date').fill('2026-02-30');
	await page.getByLabel('Lieu').fill('Cahors');
	await page.getByRole('button', { name: 'Créer la séance' }).click();
	await expect(page.locator('#held_on-error')).toHaveText('Indiquez la date de la séance.');
	await expect(page.getByLabel('Lieu')).toHaveValue('Cahors');
	// A day before the plan's adoption and an emptied title: both told at once.
	await page.getByLabel('Date').fill('2018-05-01');
	await page.getByLabel('Intitulé').fill('');
	await page.getByRole('button', { name: 'Créer la séance' }).click();
	await expect(page.locator('#held_on-error')).toHaveText(
		'La séance doit être postérieure à l’adoption du schéma, le 19 juillet 2018.'
	);
	await expect(page.locator('#title-error')).toHaveText('L’intitulé est obligatoire.');
	// Also at the page's top, above the list of séances (where a page sent without script opens).
	const summary = page.getByRole('alert').filter({ hasText: 'La séance n’a pas été créée' });
	await expect(summary.getByRole('link')).toHaveText([
		'La séance doit être postérieure à l’adoption du schéma, le 19 juillet 2018.',
		'L’intitulé est obligatoire.'
	]);
	await expect(page.getByLabel('Lieu')).toHaveValue('Cahors');
	await page.getByLabel('Intitulé').fill('Commission des usages numériques');
	await page.getByLabel('Date').fill('2026-11-20');
	await page.getByLabel('Heure').fill('14:30');
	await page.getByRole('button', { name: 'Créer la séance' }).click();
	await expect(page.locator('h1')).toHaveText('Séance du 20 novembre 2026');
	// Said, and heard: the confirmation takes the focus on arrival.
	const created = page.getByRole('status').filter({ hasText: 'Séance créée' });
	await expect(created).toBeFocused();

	// The helper explains what may justify a review; nothing is ticked for the member.
	const proposals = page.getByRole('group', { name: 'Fiches à ajouter à l’ordre du jour' });
	await expect(page.getByText('Aucune n’est cochée d’avance')).toBeVisible();
	await expect(proposals.getByRole('checkbox')).toHaveCount(23);
	await expect(proposals.getByRole('checkbox', { checked: true })).toHaveCount(0);
	await expect(
		proposals.getByRole('listitem').filter({ hasText: '17-1 — Mise en place' })
	).toContainText('Jamais mise à jour');
	// Nothing on the agenda, nobody present: said, and no empty list read after it.
	const agenda = page.getByRole('region', { name: 'Ordre du jour', exact: true });
	const present = page.getByRole('region', { name: 'Présents', exact: true });
	await expect(agenda).toContainText('L’ordre du jour est vide.');
	await expect(agenda.getByRole('list')).toHaveCount(0);
	await expect(present).toContainText('Aucune présence enregistrée.');
	await expect(present.getByRole('list')).toHaveCount(0);
	await proposals.getByLabel(/^4-1/).check();
	await page.getByRole('button', { name: 'Ajouter les fiches cochées' }).click();
	await expect(page.getByRole('heading', { level: 3, name: /Fiche 4-1/ })).toBeVisible();
	// The first point added draws the list, and the confirmation takes the focus.
	await expect(agenda.getByRole('listitem')).toHaveCount(1);
	await expect(agenda).not.toContainText('L’ordre du jour est vide.');
	await expect(page.getByRole('status')).toBeFocused();
	// Each point's button says which point it removes; removing two in a row, the focus goes to the
	// confirmation each time (the second time, its words and the button are not new).
	await expect(page.getByRole('button', { name: 'Retirer ce point (fiche 4-1)' })).toBeVisible();
	await proposals.getByLabel(/^5-1/).check();
	await proposals.getByLabel(/^6-1/).check();
	await page.getByRole('button', { name: 'Ajouter les fiches cochées' }).click();
	for (const code of ['5-1', '6-1']) {
		await page.getByRole('button', { name: `Retirer ce point (fiche ${code})` }).press('Enter');
		await expect(
			page.getByRole('heading', { level: 3, name: new RegExp(`Fiche ${code}`) })
		).toHaveCount(0);
		await expect(page.getByRole('status')).toHaveText('Point retiré.');
		await expect(page.getByRole('status')).toBeFocused();
	}
	await page.getByLabel('Membre présent').selectOption({ label: 'Claude Commission' });
	await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('Présence enregistrée.');
	await expect(page.getByRole('status')).toBeFocused();
	await expect(present.getByRole('list').getByRole('listitem')).toHaveText([/^Claude Commission/]);
	await expect(present).not.toContainText('Aucune présence enregistrée.');
	await page.getByLabel('Invité').fill('Marie Invitée');
	await page.getByRole('button', { name: 'Ajouter l’invité' }).click();
	await expect(page.getByRole('status')).toContainText('Invité enregistré.');
	// The answer leads back to this page: the focus is on its confirmation, not at the page's top.
	await expect(page.getByRole('status')).toBeFocused();
	await expect(page.getByRole('region', { name: 'Présents' })).toContainText(
		'Marie Invitée (sur invitation)'
	);
	// The same person again, written otherwise: told under the field, which takes the focus.
	await page.getByLabel('Invité').fill('marie  INVITÉE');
	await page.getByRole('button', { name: 'Ajouter l’invité' }).click();
	await expect(page.getByLabel('Invité')).toHaveAccessibleDescription(
		'Marie Invitée figure déjà parmi les présents.'
	);
	await expect(page.getByLabel('Invité')).toBeFocused();
	await expect(page.getByLabel('Invité')).toHaveValue('marie  INVITÉE');
	await page.getByLabel('Invité').fill('');
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('seance-preparation.png'));

	// The preparation file of 4-1 prints as a document of its own.
	await page.getByRole('link', { name: 'Dossier de préparation de la fiche 4-1' }).click();
	await expect(page.locator('h1')).toHaveText(/Fiche 4-1/);
	await expect(page.getByText('Priorité 2 depuis le 19 juillet 2018')).toBeVisible();
	await expect(page.locator('main')).toContainText(
		'séance du 20 novembre 2026 à 14\u00a0h\u00a030, Cahors — dossier de préparation'
	);
	await expectNoAxeViolations(page);
	await page.emulateMedia({ media: 'print' });
	await screenshot(page, testInfo.outputPath('dossier-4-1-impression.png'));
	await expect(page.locator('.site-header')).toBeHidden();
	await page.emulateMedia({ media: 'screen' });
	await page.goBack();

	await page.getByRole('button', { name: 'Ouvrir la séance (tenue)' }).click();
	await expect(page.getByRole('status')).toContainText('La séance est tenue');
	// Nothing typed in its decision forms (the page's script reshapes them): leaving asks nothing.
	const held = page.url();
	const asked: string[] = [];
	const onDialog = (dialog: Dialog) => {
		asked.push(dialog.message());
		void dialog.dismiss();
	};
	page.on('dialog', onDialog);
	await page
		.getByRole('navigation', { name: 'Menu principal' })
		.getByRole('link', { name: 'Commission' })
		.click();
	await expect(page).toHaveURL(/\/commission$/);
	expect(asked).toEqual([]);
	page.off('dialog', onDialog);
	await page.goto(held);
	const item = page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: /Fiche 4-1/ }) });
	// Every point has the same fields: their group and button name the point they are for.
	await expect(
		item.getByRole('group', { name: 'Enregistrer une décision sur la fiche 4-1' })
	).toBeVisible();
	await expect(
		item.getByRole('button', { name: 'Enregistrer la décision sur la fiche 4-1', exact: true })
	).toBeVisible();
	// The type comes first: no priority is chosen for the member, other types' fields stay hidden.
	await expect(item.getByLabel('Type de décision')).toHaveValue('');
	await expect(item.getByLabel(/Nouvelle priorité/)).toHaveCount(0);
	await expect(item.getByLabel('Avis', { exact: true })).toHaveCount(0);
	await item.getByLabel('Type de décision').selectOption('opinion');
	await expect(item.getByLabel('Avis', { exact: true })).toHaveValue('');
	await expect(item.getByLabel(/Nouvelle priorité/)).toHaveCount(0);
	// What was typed comes back with its type, even after « — choisissez d’abord le type — »
	// (reached with the arrow keys, which change a closed list's value at each press).
	await item.getByLabel('Avis', { exact: true }).selectOption('favorable');
	await item.getByLabel('Texte de l’avis').fill('Un avis tapé avec soin.');
	await item.getByLabel('Type de décision').selectOption('');
	await expect(item.getByLabel('Texte de l’avis')).toHaveCount(0);
	await item.getByLabel('Type de décision').selectOption('opinion');
	await expect(item.getByLabel('Avis', { exact: true })).toHaveValue('favorable');
	await expect(item.getByLabel('Texte de l’avis')).toHaveValue('Un avis tapé avec soin.');
	await item.getByLabel('Texte de l’avis').fill('');
	await item.getByLabel('Type de décision').selectOption('priority');
	await expect(item.getByLabel(/Nouvelle priorité/)).toHaveValue('');
	await expect(item.getByLabel('Avis', { exact: true })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await screenshot(item, testInfo.outputPath('decision-priorite-1280.png'));
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(item, testInfo.outputPath('decision-priorite-390.png'));
	await page.setViewportSize({ width: 1280, height: 720 });
	await item.getByLabel(/Nouvelle priorité/).selectOption('1');
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(item.getByText('Le motif est obligatoire.')).toBeVisible();
	await item
		.getByLabel(/Motif/)
		.fill(
			'Les initiatives citoyennes se multiplient dans le Lot : la commission en fait une priorité.'
		);
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	// Told in its point, which keeps the focus: the next point's form is a few keys away.
	const recorded = item.getByRole('status');
	await expect(recorded).toContainText('Décision enregistrée sur la fiche 4-1');
	await expect(recorded).toBeFocused();
	await expect(item.getByText('Priorité 2 → 1', { exact: true })).toBeVisible();
	await page.getByRole('link', { name: 'Clore la séance…' }).click();
	await expect(page.locator('h1')).toHaveText('Clore la séance du 20 novembre 2026 ?');
	// Decisions take effect at the séance's date, whatever the day it is closed.
	await expect(
		page.getByText('prennent effet à la date de la séance, le 20 novembre 2026')
	).toBeVisible();
	await expect(page.getByRole('region', { name: 'Priorités qui changent' })).toContainText(
		'Fiche 4-1 — Recours à des initiatives citoyennes pour co-construire et valoriser le territoire : priorité 2 → 1'
	);
	await expectNoAxeViolations(page);
	await screenshot(page, testInfo.outputPath('cloture-1280.png'));
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, testInfo.outputPath('cloture-390.png'));
	await page.setViewportSize({ width: 1280, height: 720 });

	// A link crafted with ?relire=1 says no refusal: only a refused closing leads there
	// (refusedBack), not the address alone.
	const crafted = await context.newPage();
	await crafted.goto(`${page.url()}?relire=1`);
	await expect(crafted.locator('h1')).toHaveText('Clore la séance du 20 novembre 2026 ?');
	await expect(crafted.getByText('La séance n’a pas été close')).toHaveCount(0);
	await expect(crafted).not.toHaveTitle(/^Erreur/);
	await crafted.close();

	// Meanwhile, another tab records an opinion on 4-1: closing from the page read before it is
	// refused, and the page comes back listing what would now take effect.
	const other = await context.newPage();
	await other.goto(page.url().replace(/\/cloture$/, ''));
	const otherItem = other
		.getByRole('listitem')
		.filter({ has: other.getByRole('heading', { name: /Fiche 4-1/ }) });
	await otherItem.getByLabel('Type de décision').selectOption('opinion');
	await otherItem.getByLabel('Avis', { exact: true }).selectOption('favorable');
	await otherItem
		.getByLabel('Texte de l’avis')
		.fill('La commission soutient les tiers-lieux citoyens.');
	await otherItem.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(other.getByRole('status')).toContainText('Décision enregistrée');
	await page.getByRole('button', { name: 'Clore définitivement la séance' }).click();
	// Said first: the refusal takes the focus, the title says so, and the address drops ?relire=1
	// (read again later, the page would repeat a refusal that is over).
	await expect(page.getByRole('alert')).toContainText('La séance n’a pas été close');
	await expect(page.getByRole('alert')).toBeFocused();
	await expect(page).toHaveTitle(/^Erreur\u00a0: Séance non close — Clore la séance du /);
	await expect(page).toHaveURL(/\/cloture$/);
	await expect(
		page.getByRole('region', { name: 'Avis et décisions publiés au relevé' })
	).toContainText('La commission soutient les tiers-lieux citoyens.');
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Clore définitivement la séance' }).click();
	await expect(page.locator('h1')).toHaveText('Relevé de décisions du 20 novembre 2026');
	// Printed right away, the relevé leaves out what the closing did (a confirmation for the screen).
	const closed = page.getByRole('status').filter({ hasText: 'La séance est close' });
	await expect(closed).toBeVisible();
	// Said as every other action of the séance is: the confirmation takes the focus (review s40 #9).
	await expect(closed).toBeFocused();
	// With to whom its relevé was written (commission's leftovers, finding 1).
	await expect(closed).toContainText(
		/Relevé (envoyé à|écrit pour) \d\u00a0membres? de la commission/
	);
	await page.emulateMedia({ media: 'print' });
	await expect(closed).toBeHidden();
	await page.emulateMedia({ media: 'screen' });
	// Going back after closing leads to the relevé, not to an error: the confirmation step, replaced
	// in the history by the relevé, is not offered again.
	await page.goBack();
	await expect(page.locator('h1')).toHaveText('Relevé de décisions du 20 novembre 2026');
	await expect(page).toHaveURL(/\/commission\/seances\/\d+(\?.*)?$/);
	// The other tab, still showing the séance as held, tries one more decision: refused, and the
	// page reads the séance again (closed, no form), the refusal above.
	await otherItem.getByLabel('Type de décision').selectOption('free');
	await otherItem.getByLabel('Texte de la décision').fill('Une décision de trop.');
	await otherItem.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(other.getByRole('alert')).toContainText('Cette séance est close');
	// Its form gone, what was typed stays on the page, to be copied.
	await expect(other.getByRole('alert')).toContainText(
		'Texte saisi, non enregistré (Décision libre) : Une décision de trop.'
	);
	await expect(other.locator('h1')).toHaveText('Relevé de décisions du 20 novembre 2026');
	await expect(other.getByRole('button', { name: 'Enregistrer la décision' })).toHaveCount(0);
	await other.close();
	await screenshot(page, testInfo.outputPath('releve-decisions.png'));

	await page.goto('/fiches/4-1');
	await expect(page.getByText('Priorité 1').first()).toBeVisible();
	await expect(
		page.getByRole('region', { name: 'Priorité et décisions de la commission' })
	).toContainText(
		'Priorité 1 depuis le 20 novembre 2026, décidée en séance du 20 novembre 2026 à 14 h 30 : Les initiatives citoyennes se multiplient dans le Lot'
	);
	await expect(
		page.getByRole('region', { name: 'Priorité et décisions de la commission' })
	).toContainText('Priorité 2 depuis le 19 juillet 2018');
	const anonymous = await apiAs(null);
	const plan = await (await anonymous.get('/donnees/plan.json')).json();
	expect(plan.fiches.find((f: { code: string }) => f.code === '4-1').priority).toBe(1);
	const priorities = await (await anonymous.get('/commission/priorites')).text();
	expect(priorities).toContain('changée\u00a0: 2 → 1');
	// With the count of decisions, and a link to the fiche's priority history.
	expect(priorities).toMatch(/\(<a href="\/fiches\/4-1#priorite">1\u00a0décision<\/a>\)/);
	await anonymous.dispose();
	await context.close();
});

test('without JavaScript: the decision form refuses a missing type and mixed fields, and closing asks first', async ({
	browser
}, testInfo) => {
	// A long journey (two tabs, axe scans at each step).
	test.slow();
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-11-10', 'Gourdon', 'Commission sans script');
	await member.post(`/commission/seances/${id}?/addFiches`, {
		form: { codes: '5-1' },
		maxRedirects: 0
	});
	await member.post(`/commission/seances/${id}?/hold`, { form: {}, maxRedirects: 0 });
	// A close posted without the confirmation step is sent to it.
	const direct = await member.post(`/commission/seances/${id}?/close`, {
		form: {},
		maxRedirects: 0
	});
	expect(direct.status()).toBe(303);
	expect(direct.headers().location).toBe(`/commission/seances/${id}/cloture`);

	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	const item = page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: /Fiche 5-1/ }) });
	await expect(item.getByLabel('Type de décision')).toHaveValue('');
	await expect(item.getByLabel(/Nouvelle priorité/)).toHaveValue('');
	await expect(item.getByLabel(/^Avis/)).toHaveValue('');
	await item.getByLabel(/Motif, texte/).fill('La commission salue le travail engagé.');
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(item.getByText('Choisissez le type de décision.')).toBeVisible();
	// The page answers at its top: a summary there says what was refused and leads to the field.
	const summary = page
		.getByRole('alert')
		.filter({ hasText: 'La décision sur la fiche 5-1 n’a pas été enregistrée' });
	await expect(summary).toBeInViewport();
	await summary.getByRole('link', { name: 'Choisissez le type de décision.' }).click();
	await expect(item.getByLabel('Type de décision')).toBeFocused();
	await expect(item.getByLabel(/Motif, texte/)).toHaveValue(
		'La commission salue le travail engagé.'
	);
	await item.getByLabel('Type de décision').selectOption('opinion');
	await item.getByLabel(/^Avis/).selectOption('favorable');
	await item.getByLabel(/Nouvelle priorité/).selectOption('1');
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(
		item.getByText('Vous avez choisi une nouvelle priorité : choisissez le type')
	).toBeVisible();
	await expectNoAxeViolationsWithoutScript(page);
	await screenshot(item, testInfo.outputPath('decision-sans-script-1280.png'));
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(item, testInfo.outputPath('decision-sans-script-390.png'));
	await page.setViewportSize({ width: 1280, height: 720 });
	// The fiche's own priority (5-1 is in priority 2) is not offered: choosing it could only be
	// refused (a tampered post is, under the field: decision-form-priorities.spec.ts).
	await expect(item.getByLabel(/Nouvelle priorité/).locator('option[value="2"]')).toHaveCount(0);
	await item.getByLabel('Type de décision').selectOption('opinion');
	await item.getByLabel(/^Avis/).selectOption('favorable');
	await item.getByLabel(/Nouvelle priorité/).selectOption('');
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(page.getByRole('status')).toContainText('Décision enregistrée');

	// A decision recorded by mistake is taken back before closing.
	await item.getByLabel('Type de décision').selectOption('free');
	await item.getByLabel(/Motif, texte/).fill('Une décision enregistrée par erreur.');
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(page.getByRole('status')).toContainText('Décision enregistrée');
	await expect(item.getByText('Une décision enregistrée par erreur.')).toBeVisible();
	await item
		.getByRole('button', { name: 'Retirer cette décision (Décision, fiche 5-1)', exact: true })
		.click();
	await expect(page.getByRole('status')).toContainText('Décision retirée');
	await expect(page.getByText('Une décision enregistrée par erreur.')).toHaveCount(0);

	// The date, time, place and title are corrected until closing; a held séance is never dated
	// ahead; a time is hours and minutes. Both problems are told at once, the typing kept.
	await page.getByText('Corriger la date, l’heure, le lieu ou l’intitulé').click();
	// A month ahead: within the year a séance may be planned, but not a held one's day.
	const monthAhead = daysAfter(parisToday(), 30);
	await page.locator('#held_on').fill(monthAhead);
	await page.getByLabel('Lieu', { exact: true }).fill('Gourdon, salle du conseil');
	await page.locator('#starts_at').evaluate((input: HTMLInputElement) => {
		// A browser's time field sends only times; a hand-made post can send anything.
		input.type = 'text';
		input.value = '25h';
	});
	await page
		.getByRole('button', { name: 'Enregistrer la date, l’heure, le lieu et l’intitulé' })
		.click();
	await expect(
		page.getByText('La séance est déjà tenue : sa date ne peut pas être un jour à venir.').first()
	).toBeVisible();
	await expect(
		page.getByText('L’heure s’écrit en heures et minutes (par exemple 14:30).').first()
	).toBeVisible();
	await expect(page.getByLabel('Lieu', { exact: true })).toHaveValue('Gourdon, salle du conseil');
	// Review h43: named at the page's top too, each with a link to its field, as the page's other
	// forms do (not the bare « corrigez les champs signalés »).
	const editSummary = page.getByRole('alert').filter({ hasText: 'La séance n’a pas été corrigée' });
	await expect(editSummary.getByRole('heading')).toHaveText(
		'La séance n’a pas été corrigée\u00a0: 2\u00a0champs à corriger'
	);
	expect(
		await editSummary.getByRole('link').evaluateAll((all) => all.map((a) => a.getAttribute('href')))
	).toEqual(['#held_on', '#starts_at']);
	await expect(page.getByText('Le formulaire contient des erreurs')).toHaveCount(0);
	await page.locator('#held_on').fill('2026-11-10');
	await page.getByLabel(/^Heure/).fill('14:30');
	await page
		.getByRole('button', { name: 'Enregistrer la date, l’heure, le lieu et l’intitulé' })
		.click();
	await expect(page.getByRole('status')).toContainText(
		'Date, heure, lieu et intitulé enregistrés.'
	);
	await expect(page.locator('.lead')).toContainText(
		'à 14\u00a0h\u00a030, Gourdon, salle du conseil'
	);
	await expectNoAxeViolationsWithoutScript(page);

	await page.getByRole('link', { name: 'Clore la séance…' }).click();
	await expect(page.getByRole('region', { name: 'Priorités qui changent' })).toContainText(
		'Aucune : cette séance ne change la priorité d’aucune fiche.'
	);
	await expect(
		page.getByRole('region', { name: 'Avis et décisions publiés au relevé' })
	).toContainText('Avis favorable : La commission salue le travail engagé.');
	await page.getByRole('button', { name: 'Clore définitivement la séance' }).click();
	await expect(page.locator('h1')).toHaveText('Relevé de décisions du 10 novembre 2026');
	await expect(page.getByRole('status')).toContainText(
		/La séance est close.*Relevé (envoyé à|écrit pour) \d\u00a0membres? de la commission/
	);
	await screenshot(page, testInfo.outputPath('releve-sans-script.png'));
	const anonymous = await apiAs(null);
	const plan = await (await anonymous.get('/donnees/plan.json')).json();
	expect(plan.fiches.find((f: { code: string }) => f.code === '5-1').priority).toBe(2);
	await anonymous.dispose();
	await member.dispose();
	await context.close();
});

test('a partner cannot reach the preparation file of a fiche that is not theirs', async ({
	browser
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-12-01', 'Figeac', 'Commission');
	await member.post(`/commission/seances/${id}?/addFiches`, {
		form: { codes: '4-1' },
		maxRedirects: 0
	});
	const context = await browser.newContext();
	const page = await context.newPage();
	await loginPage(page, ACCOUNTS.partner);
	// As for a séance that does not exist: its number does not tell it is being prepared.
	const response = await page.goto(`/commission/seances/${id}/fiches/4-1`);
	expect(response?.status()).toBe(404);
	await expect(
		page.getByText('Cette séance n’existe pas, ou le compte connecté n’y a pas accès')
	).toBeVisible();
	await member.dispose();
	await context.close();
});

test('without JavaScript: a refused point or guest comes back with what was typed', async ({
	browser
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-12-17', 'Figeac', 'Commission des points libres');
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	const title = `Point ${'x'.repeat(200)}`;
	await page.getByLabel('Point libre').fill(title);
	await page.getByRole('button', { name: 'Ajouter le point' }).click();
	// Told under the field, and at the page's top (where the page opens) with a link to the field.
	const free = page.getByLabel('Point libre');
	await expect(free).toHaveAccessibleDescription(/200\scaractères au plus/);
	await expect(page.getByRole('alert')).toContainText('200 caractères au plus');
	await expect(free).toHaveValue(title);
	// A point already on the agenda, written otherwise: told under the field too, typing kept.
	await free.fill('Questions diverses');
	await page.getByRole('button', { name: 'Ajouter le point' }).click();
	await free.fill('questions  DIVERSES');
	await page.getByRole('button', { name: 'Ajouter le point' }).click();
	await expect(free).toHaveAccessibleDescription(
		'Le point « Questions diverses » est déjà à l’ordre du jour.'
	);
	await expect(free).toHaveValue('questions  DIVERSES');
	const guest = `Invité ${'y'.repeat(120)}`;
	await page.getByLabel('Invité').fill(guest);
	await page.getByRole('button', { name: 'Ajouter l’invité' }).click();
	await expect(page.getByLabel('Invité')).toHaveAccessibleDescription(/120\scaractères au plus/);
	await page
		.getByRole('alert')
		.getByRole('link', { name: /120 caractères au plus/ })
		.click();
	await expect(page.getByLabel('Invité')).toBeFocused();
	await expect(page.getByLabel('Invité')).toHaveValue(guest);
	// A decision naming no point of this agenda is answered above the forms.
	const stray = await member.post(`/commission/seances/${id}?/decide`, {
		form: { itemId: '999999', kind: 'opinion', opinion: 'favorable', text: 'Avis.' },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(stray.status()).toBeGreaterThanOrEqual(400);
	expect(stray.status()).toBeLessThan(500);
	const strayPage = await stray.text();
	expect(strayPage).toMatch(/role="alert"[^>]*>\s*<p>[^<]+</);
	expect(strayPage).toMatch(/Texte saisi, non enregistré \(Avis favorable\)\s:.*Avis\./s);
	await context.close();
});

test('a decision on a point another member removed meanwhile: told, the point gone, the text kept', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-11-12', 'Cahors', 'Commission du point retiré');
	for (const codes of ['6-1', '7-1'])
		await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes }, maxRedirects: 0 });
	await member.post(`/commission/seances/${id}?/hold`, { form: {}, maxRedirects: 0 });
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	await waitForHydration(page);
	const item = page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: /Fiche 6-1/ }) });
	const itemId = await item.locator('input[name="itemId"]').first().inputValue();
	// Another member removes the point while this page shows it.
	const removed = await member.post(`/commission/seances/${id}?/removeItem`, {
		form: { itemId },
		maxRedirects: 0
	});
	expect(removed.status()).toBeLessThan(400);
	await item.getByLabel('Type de décision').selectOption('free');
	await item
		.getByLabel('Texte de la décision')
		.fill('Reporter la fiche 6-1 à la prochaine séance.');
	await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Ce point n’est plus à l’ordre du jour');
	await expect(alert).toContainText('Reporter la fiche 6-1 à la prochaine séance.');
	// The page read the séance again: the removed point is gone, the other one stays.
	await expect(page.getByRole('heading', { name: /Fiche 6-1/ })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: /Fiche 7-1/ })).toBeVisible();
});

// Review (brief of 2026-12-07): the avis withdrawn gave its number to the priority change recorded
// after it, and the closing page read before both closed the séance with a change never shown.
test('closing from a page read before a decision was withdrawn and another recorded: refused, read again', async ({
	browser
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-11-13', 'Figeac', 'Commission du numéro rendu');
	for (const codes of ['11-1', '12-1'])
		await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes }, maxRedirects: 0 });
	await member.post(`/commission/seances/${id}?/hold`, { form: {}, maxRedirects: 0 });
	await member.dispose();
	const point = (page: Page, code: string) =>
		page
			.getByRole('listitem')
			.filter({ has: page.getByRole('heading', { name: `Fiche ${code}` }) });

	// Member A records « Avis favorable » on 11-1 and opens the closing page.
	const contextA = await browser.newContext();
	const a = await contextA.newPage();
	await loginPage(a, ACCOUNTS.commission);
	await a.goto(`/commission/seances/${id}`);
	await waitForHydration(a);
	await point(a, '11-1').getByLabel('Type de décision').selectOption('opinion');
	await point(a, '11-1').getByLabel('Avis', { exact: true }).selectOption('favorable');
	await point(a, '11-1').getByLabel('Texte de l’avis').fill('La commission soutient la démarche.');
	await point(a, '11-1').getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(point(a, '11-1').getByRole('status')).toContainText('Décision enregistrée');
	await a.goto(`/commission/seances/${id}/cloture`);
	const changes = a.getByRole('region', { name: 'Priorités qui changent' });
	await expect(changes).toContainText('Aucune');

	// Admin B, in another browser, withdraws the avis, then raises 12-1 from 2 to 1.
	const contextB = await browser.newContext();
	const b = await contextB.newPage();
	await loginPage(b, ACCOUNTS.admin);
	await b.goto(`/commission/seances/${id}`);
	await waitForHydration(b);
	await point(b, '11-1')
		.getByRole('button', { name: /Retirer cette décision/ })
		.click();
	await expect(point(b, '11-1').getByText('La commission soutient la démarche.')).toHaveCount(0);
	await point(b, '12-1').getByLabel('Type de décision').selectOption('priority');
	await point(b, '12-1')
		.getByLabel(/Nouvelle priorité/)
		.selectOption('1');
	await point(b, '12-1').getByLabel(/Motif/).fill('Une urgence pour les collèges.');
	await point(b, '12-1').getByRole('button', { name: 'Enregistrer la décision' }).click();
	await expect(point(b, '12-1').getByText('Priorité 2 → 1', { exact: true })).toBeVisible();
	await contextB.close();

	// A closes from the page read before: refused, the page lists what would now take effect.
	await a.getByRole('button', { name: 'Clore définitivement la séance' }).click();
	await expect(a.getByRole('alert')).toContainText('La séance n’a pas été close');
	await expect(a).toHaveURL(/\/cloture$/);
	await expect(changes).toContainText('Fiche 12-1');
	await expect(changes).toContainText('priorité 2 → 1');
	await expect(changes).not.toContainText('Aucune');
	await expect(
		a.getByRole('region', { name: 'Avis et décisions publiés au relevé' })
	).not.toContainText('La commission soutient la démarche.');
	// Nothing took effect: the séance is still held, 12-1 still in priority 2.
	await a.goto(`/commission/seances/${id}`);
	await expect(a.getByRole('link', { name: 'Clore la séance…' })).toBeVisible();
	const plan = await (await a.request.get('/donnees/plan.json')).json();
	expect(plan.fiches.find((f: { code: string }) => f.code === '12-1').priority).toBe(2);
	await contextA.close();
});

test('a séance dated of a day past says so, and offers no convocation', async ({ page }) => {
	const member = await apiAs(ACCOUNTS.commission);
	const past = daysBefore(parisToday(), 5);
	const id = await createSitting(member, past, 'Gourdon', 'Séance datée trop tôt');
	await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes: '9-1' } });
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}?creee=1`);
	await expect(page.getByRole('status')).toContainText('datée d’un jour passé');
	const course = page.getByRole('region', { name: 'Déroulement' });
	await expect(course).toContainText('un jour passé : sa convocation ne part pas');
	await expect(course.getByRole('button', { name: 'Envoyer la convocation' })).toHaveCount(0);
	const sent = await member.post(`/commission/seances/${id}?/convene`, { form: {} });
	expect(sent.status()).toBe(409);
});

// Review s44: a séance of today whose hour had passed was said « datée d’un jour passé ».
test('a séance created for today at an hour past says its hour is past, not its day', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	// Midnight has always passed today in Paris.
	const created = await member.post('/commission?/create', {
		form: { held_on: parisToday(), starts_at: '00:00', place: 'Cahors', title: 'Séance trop tard' },
		maxRedirects: 0
	});
	const id = /seances\/(\d+)/.exec(created.headers().location ?? '')?.[1];
	expect(id).toBeDefined();
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}?creee=1`);
	const banner = page.getByRole('status');
	await expect(banner).toContainText('Séance créée pour aujourd’hui, à une heure passée');
	await expect(banner).toContainText('Si l’heure est une erreur, corrigez-la.');
	await expect(banner).not.toContainText('jour passé');
	const course = page.getByRole('region', { name: 'Déroulement' });
	await expect(course).toContainText('une heure passée : sa convocation ne part pas');
});

// Review s44: the box of a convened séance read « créée par erreur », and without a relay the
// notice after its deletion must not say its cancellation was sent.
test('a convened séance deleted without a mail relay: the box says it is cancelled, the notice that its cancellation waits', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(
		member,
		daysAfter(parisToday(), 24),
		'Puy-l’Évêque',
		'Séance annulée'
	);
	await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes: '9-1' } });
	const sent = await member.post(`/commission/seances/${id}?/convene`, {
		form: { convened_at: '' }
	});
	expect(sent.status()).toBe(303);
	await member.dispose();
	await loginPage(page, ACCOUNTS.commission);
	const told = await cancelConvenedSitting(page, id);
	expect(told).toBeGreaterThanOrEqual(2);
	const notice = page.getByRole('status');
	await expect(notice).toHaveText(
		new RegExp(
			`^La séance, déjà convoquée, a été annulée et supprimée\\. Son annulation a été écrite pour ${told}\\spersonnes convoquées, mais pas envoyée\\s: ce portail n’envoie pas de courriels`
		)
	);
	await expect(notice).not.toContainText('envoyée à');
	// Its page says it was cancelled; printed, the notice's link gives its address (review s44).
	await page.goto(`/commission/seances/${id}`);
	await expect(page.locator('main')).toContainText(
		'Cette séance a été annulée après sa convocation'
	);
	const back = page.getByRole('link', { name: 'Les séances de la commission' });
	const printedAfter = () => back.evaluate((a) => getComputedStyle(a, '::after').content);
	expect(await printedAfter()).toBe('none');
	await page.emulateMedia({ media: 'print' });
	expect(await printedAfter()).toBe('"\u202f: /commission sur le portail"');
	await page.emulateMedia({ media: 'screen' });
});

test('after the agenda of a convened séance changes, the page asks to send it again', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-12-29', 'Souillac', 'Séance à revoir');
	await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes: '9-1' } });
	const sent = await member.post(`/commission/seances/${id}?/convene`, {
		form: { convened_at: '' }
	});
	expect(sent.status()).toBe(303);
	await loginPage(page, ACCOUNTS.commission);
	const course = page.getByRole('region', { name: 'Déroulement' });
	await page.goto(`/commission/seances/${id}`);
	await expect(course).not.toContainText('L’ordre du jour a changé');
	await member.post(`/commission/seances/${id}?/addFree`, { form: { title: 'Calendrier' } });
	await page.goto(`/commission/seances/${id}`);
	await expect(course).toContainText(
		'L’ordre du jour a changé depuis cette convocation : envoyez-la de nouveau'
	);
});

// Review h43 (moved-convocation proof): a move was told once, in the answer to its author.
test('a convened séance moved keeps asking to send it again, until moved back', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const inMonth = daysAfter(parisToday(), 20);
	const later = daysAfter(parisToday(), 25);
	const id = await createSitting(member, inMonth, 'Lacapelle-Marival', 'Séance déplacée');
	await member.post(`/commission/seances/${id}?/addFiches`, { form: { codes: '9-1' } });
	const sent = await member.post(`/commission/seances/${id}?/convene`, {
		form: { convened_at: '' }
	});
	expect(sent.status()).toBe(303);
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	const course = page.getByRole('region', { name: 'Déroulement' });
	await expect(course).not.toContainText('envoyez-la de nouveau');
	const correct = async (heldOn: string) => {
		// The page's script first: hydrated late (a loaded machine), it closed the « Corriger… »
		// box opened before it, and the button inside was never clickable (CI s44).
		await waitForHydration(page);
		await page.getByText('Corriger la date, l’heure, le lieu ou l’intitulé').click();
		await page.locator('form[action="?/edit"] [name=held_on]').fill(heldOn);
		await page
			.getByRole('button', { name: 'Enregistrer la date, l’heure, le lieu et l’intitulé' })
			.click();
		await expect(page.getByRole('status')).toContainText('enregistrés.');
	};
	await correct(later);
	await expect(page.getByRole('status')).toContainText('annonçait un autre jour');
	// Read again (the page reloaded, another member): still said, with the day announced.
	await page.goto(`/commission/seances/${id}`);
	await expect(course).toContainText(/La\sconvocation\sdu\s.*\sannonçait\sun\sautre\sjour\s\(le\s/);
	await expect(course).toContainText('envoyez-la de nouveau');
	// Back to the day announced: nothing to send again, and the sender agrees.
	await correct(inMonth);
	await expect(page.getByRole('status')).not.toContainText('annonçait');
	await expect(course).not.toContainText('envoyez-la de nouveau');
	await course.getByRole('button', { name: 'Envoyer la convocation' }).click();
	await expect(page.getByRole('alert')).toContainText('Rien n’a changé depuis la convocation');
});

test('each fiche offered for the agenda is heard with the signals it is sorted by', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-12-30', 'Gramat', 'Séance d’écoute');
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	const box = page.getByRole('checkbox', { name: /^1-1 — / });
	const signals = await page.locator('#fiche-1-1-signaux').textContent();
	expect(signals?.trim()).toBeTruthy();
	await expect(box).toHaveAccessibleDescription(signals!.trim().replace(/\s+/g, ' '));
});

test('a séance created by mistake is deleted, once confirmed', async ({ page }) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-11-18', 'Souillac', 'Séance en double');
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	await waitForHydration(page);
	const section = page.getByRole('region', { name: 'Supprimer la séance' });
	// A running campaign that prepares it keeps it. Opened while the page offered the deletion: the
	// refusal is said and focused; then the page says why, instead of a form that would be refused.
	const admin = await apiAs(ACCOUNTS.admin);
	const campaign = await openCampaignThrough(admin, {
		title: 'Préparer la séance en double',
		// Not the day of screen-reader.spec's campaign for every fiche: the same fiches by the
		// same day are refused as a repeat of an open campaign.
		deadline: daysAfter(parisToday(), 29),
		sitting: String(id),
		reminders: '-3'
	});
	await section.getByLabel('Cette séance a été créée par erreur : la supprimer').check();
	await section.getByRole('button', { name: 'Supprimer la séance' }).click();
	await expect(section.getByRole('alert')).toBeFocused();
	await expect(section.getByRole('alert')).toContainText('prépare cette séance');
	await expect(section).toContainText(
		'La campagne de suivi « Préparer la séance en double » prépare cette séance'
	);
	await expect(section.getByRole('button')).toHaveCount(0);
	await closeCampaignThrough(admin, campaign);
	await admin.dispose();
	// Held with nothing on its agenda: its confirmation page says it cannot be closed, before asking.
	// Sent without script, a success leads to the page again (Post/Redirect/Get).
	expect((await member.post(`/commission/seances/${id}?/hold`, { form: {} })).status()).toBe(303);
	await member.dispose();
	await page.goto(`/commission/seances/${id}/cloture`);
	await expect(page.getByRole('alert')).toContainText('L’ordre du jour de cette séance est vide');
	await expect(page.getByRole('button', { name: 'Clore définitivement la séance' })).toHaveCount(0);
	await page.goto(`/commission/seances/${id}`);
	await waitForHydration(page);
	await section.getByRole('button', { name: 'Supprimer la séance' }).click();
	await expect(section.getByRole('alert')).toContainText('Cochez la case pour confirmer');
	// Another tab of the same member, where a guest is being typed while the séance is deleted.
	const otherTab = await page.context().newPage();
	await otherTab.goto(`/commission/seances/${id}`);
	await waitForHydration(otherTab);
	await otherTab.getByLabel('Invité').fill('Mme Invitée Tardive');
	await fieldsReleased(page);
	await section.getByLabel('Cette séance a été créée par erreur : la supprimer').check();
	await section.getByRole('button', { name: 'Supprimer la séance' }).click();
	await expect(page).toHaveURL(/\/commission\?supprimee=\d+$/);
	// Sent after the deletion: the page says so, keeps what was typed and leads to the séances.
	await otherTab.getByRole('button', { name: 'Ajouter l’invité' }).click();
	await expect(otherTab.locator('main')).toContainText(
		'Cette séance a été supprimée (créée par erreur) : rien n’a été enregistré.'
	);
	await expect(otherTab.locator('main blockquote')).toHaveText('Mme Invitée Tardive');
	// The button pressed went with the page: the error's heading has the focus, and is read.
	await expect(otherTab.locator('main h1')).toBeFocused();
	await expect(
		otherTab.getByRole('link', { name: 'Les séances de la commission' })
	).toHaveAttribute('href', '/commission');
	await otherTab.close();
	await expect(page.getByRole('status')).toContainText('a été supprimée');
	await expect(page.getByRole('link', { name: /Séance en double/ })).toHaveCount(0);
	const gone = await page.request.get(`/commission/seances/${id}`);
	expect(gone.status()).toBe(404);
	// A member who opens it again (a bookmark, another tab) is told it was deleted, without « rien
	// n’a été enregistré » (nothing was sent), and led to the séances; a visitor is not.
	const goneText = await gone.text();
	expect(goneText).toContain('Cette séance a été supprimée (créée par erreur).');
	expect(goneText).not.toContain('rien n’a été enregistré');
	expect(goneText).toMatch(
		/<a href="\/commission" data-print-url="\/commission sur le portail">(<!---->)?Les séances de la commission/
	);
	// So does a dossier link of its convocation, instead of « Cette séance n’existe pas. »
	const goneFile = await page.request.get(`/commission/seances/${id}/fiches/1-1`);
	expect(goneFile.status()).toBe(404);
	expect(await goneFile.text()).toContain('Cette séance a été supprimée (créée par erreur).');
	// Without a script, a decision sent to it shows the same page, with its text.
	const lateDecision = await page.request.post(`/commission/seances/${id}?/decide`, {
		form: { itemId: '1', kind: 'free', text: 'Une décision tardive.' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(lateDecision.status()).toBe(404);
	expect(await lateDecision.text()).toMatch(
		/Texte saisi, non enregistré \(Décision libre\)\s:.*Une décision tardive\./s
	);
	// Its date, time, place and title sent after the deletion: kept too, each named.
	const lateDetails = await page.request.post(`/commission/seances/${id}?/edit`, {
		form: { held_on: '2026-11-25', starts_at: '09:30', place: 'Figeac', title: 'Séance reportée' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(lateDetails.status()).toBe(404);
	expect(await lateDetails.text()).toContain(
		'Date : 25\u00a0novembre\u00a02026\nHeure : 9\u00a0h\u00a030\nLieu : Figeac\nIntitulé : Séance reportée'
	);
	// Kept as well when the form itself is refused (a date before the plan's adoption, a time that
	// is not one): the séance's deletion is said first.
	const lateInvalid = await page.request.post(`/commission/seances/${id}?/edit`, {
		form: { held_on: '2017-01-01', starts_at: '9h', place: 'Figeac', title: '' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(lateInvalid.status()).toBe(404);
	const lateInvalidText = await lateInvalid.text();
	expect(lateInvalidText).toContain('rien n’a été enregistré');
	// A blank point sent then: the deletion said, and no empty « Texte saisi » under it.
	const lateBlank = await page.request.post(`/commission/seances/${id}?/addFree`, {
		form: { title: '   ' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(lateBlank.status()).toBe(404);
	const lateBlankText = await lateBlank.text();
	expect(lateBlankText).toContain('rien n’a été enregistré');
	expect(lateBlankText).not.toContain('Texte saisi');
	expect(lateInvalidText).toContain(
		'Date : 1er\u00a0janvier\u00a02017\nHeure : 9h\nLieu : Figeac</blockquote>'
	);
	const visitor = await apiAs(null);
	// Sent to sign in, as for any séance not public (probe s43): nothing says it was deleted.
	const unknown = await visitor.get(`/commission/seances/${id}`, { maxRedirects: 0 });
	expect(unknown.status()).toBe(303);
	expect(unknown.headers().location).toMatch(/^\/connexion\?/);
	expect(await unknown.text()).not.toContain('supprimée');
	await visitor.dispose();
});

test('two members correct one séance: saving again keeps the other’s correction', async ({
	page
}) => {
	const member = await apiAs(ACCOUNTS.commission);
	const id = await createSitting(member, '2026-11-25', 'Cahors', 'Séance de novembre');
	await loginPage(page, ACCOUNTS.commission);
	await page.goto(`/commission/seances/${id}`);
	await waitForHydration(page);
	await page.getByText('Corriger la date, l’heure, le lieu ou l’intitulé').click();
	// Meanwhile, in another tab, the place is corrected.
	const other = await member.post(`/commission/seances/${id}?/edit`, {
		form: { held_on: '2026-11-25', starts_at: '', place: 'Figeac', title: 'Séance de novembre' }
	});
	expect(other.status()).toBe(303);
	await member.dispose();
	await page.getByLabel('Intitulé', { exact: true }).fill('Séance d’automne');
	const save = page.getByRole('button', {
		name: 'Enregistrer la date, l’heure, le lieu et l’intitulé'
	});
	await save.click();
	await expect(page.getByText('Quelqu’un a corrigé cette séance').first()).toBeVisible();
	// What this person typed stays; the field they had not touched shows the other's correction.
	await expect(page.getByLabel('Intitulé', { exact: true })).toHaveValue('Séance d’automne');
	await expect(page.getByLabel('Lieu', { exact: true })).toHaveValue('Figeac');
	// The page reads the séance again after a conflict; until then the form is still sending and
	// a click does nothing (on a loaded machine the click came first).
	await expect(save).not.toHaveAttribute('data-sending');
	await save.click();
	await expect(page.getByRole('status')).toContainText(
		'Date, heure, lieu et intitulé enregistrés.'
	);
	await expect(page.locator('.lead')).toContainText('Séance d’automne');
	await expect(page.locator('.lead')).toContainText('Figeac');
});
