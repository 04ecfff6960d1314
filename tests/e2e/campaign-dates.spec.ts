import { ACCOUNTS, loginPage } from './helpers/accounts';
import { expectNoAxeViolations } from './helpers/axe';
import { expect, test } from './helpers/portal';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';
import { formatDate } from '../../src/lib/utils/format';

// The commission's séance moved: an administrator changes an open campaign's deadline from its
// page, without closing it; the organisations still missing an answer are told (the portal of this
// spec has no relay: the notices are kept in the outbox, at /admin/courriels). The rules (reminders
// across the change, messages waiting with the former date, refusals) are in
// src/lib/server/campaigns/dates-change.spec.ts.

test('an administrator moves an open campaign’s deadline; the page and the outbox say so', async ({
	page
}) => {
	test.setTimeout(60_000);
	await loginPage(page, ACCOUNTS.admin);
	await page.goto('/admin/campagnes');
	const deadline = daysAfter(parisToday(), 10);
	const later = daysAfter(parisToday(), 24);
	await page.getByLabel(/^Titre/).fill('Bilan avant la séance');
	await page.getByLabel(/^Date limite/).fill(deadline);
	await page.getByLabel(/^Rappels/).fill('-3');
	await page.getByRole('button', { name: /Ouvrir la campagne/ }).click();
	await expect(page.getByRole('status').first()).toContainText('Campagne ouverte');
	const address = page.url().replace(/\?.*$/, '');

	// A deadline passed: the field says so, what was typed stays.
	const field = page.getByLabel('Nouvelle date limite');
	await field.fill(daysAfter(parisToday(), -1));
	await page.getByLabel(/^Rappels/).fill('-3, -1');
	const submit = page.getByRole('button', { name: 'Modifier l’échéance et les relances' });
	await submit.click();
	await expect(page.getByText('Choisissez une date limite à venir.')).toBeVisible();
	await expect(page.getByLabel(/^Rappels/)).toHaveValue('-3, -1');
	await expectNoAxeViolations(page);

	await field.fill(later);
	await expect(
		page.getByLabel('Prévenir les organisations qui n’ont pas encore répondu')
	).toBeChecked();
	await submit.click();
	await expect(page.getByRole('status').first()).toContainText('Échéance et rappels modifiés');
	expect(page.url()).toContain(`${address}?dates=1`);
	await expect(page.getByText(`Échéance le ${formatDate(later)}`)).toBeVisible();
	await expect(
		page.getByText(
			`Échéance reportée du ${formatDate(deadline)} au ${formatDate(later)} le ${formatDate(parisToday())} par Anne Admin`
		)
	).toBeVisible();

	// The notice to the organisations still missing an answer waits in the outbox (no relay here).
	await page.goto('/admin/courriels');
	await expect(
		page
			.getByText(
				new RegExp(
					`Campagne de suivi «\\s?Bilan avant la séance\\s?»\\s?: échéance reportée au ${formatDate(later).replace(/\s/g, '\\s')}`
				)
			)
			.first()
	).toBeVisible();
});
