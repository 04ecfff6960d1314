import SQLite from 'better-sqlite3';
import { ACCOUNTS, loginPage, portalDatabase } from './helpers/accounts';
import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './helpers/axe';
import { openCampaignFromPage } from './helpers/campaigns';
import { pageWidth } from './helpers/layout';
import { expect, test } from './helpers/portal';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';
import { formatDate } from '../../src/lib/utils/format';

// The commission's séance moved: an administrator changes an open campaign's deadline from its
// page, without closing it; the organisations still missing an answer are told (the portal of this
// spec has no relay: the notices are kept in the outbox, at /admin/courriels). The rules (reminders
// across the change, messages waiting with the former date, refusals) are in
// src/lib/server/campaigns/dates-change.spec.ts.

/** Opens a campaign of every fiche from /admin/campagnes as the administrator: its page's address. */
async function openFromPage(page: Page, title: string, deadline: string, reminders: string) {
	await loginPage(page, ACCOUNTS.admin);
	const address = await openCampaignFromPage(page, { title, deadline, reminders });
	await expect(page.getByRole('status').first()).toContainText('Campagne ouverte');
	return address;
}

test('an administrator moves an open campaign’s deadline; the page and the outbox say so', async ({
	page
}) => {
	test.setTimeout(60_000);
	const deadline = daysAfter(parisToday(), 10);
	const later = daysAfter(parisToday(), 24);
	const address = await openFromPage(page, 'Bilan avant la séance', deadline, '-3');

	// A deadline passed: the field says so, what was typed stays.
	const field = page.getByLabel('Nouvelle échéance');
	await field.fill(daysAfter(parisToday(), -1));
	await page.getByLabel(/^Rappels/).fill('-3, -1');
	const submit = page.getByRole('button', { name: 'Modifier l’échéance et les rappels' });
	await submit.click();
	// Under the field, and linked from the summary above the form.
	const passed = `Choisissez une échéance à venir, à partir d’aujourd’hui, le ${formatDate(parisToday())}.`;
	await expect(page.locator('#deadline-error')).toHaveText(passed);
	await expect(page.getByRole('link', { name: passed })).toBeVisible();
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
	// The follow-up's downloads say of what, as a séance's relevé's do.
	for (const format of ['tableur Excel', 'CSV'])
		await expect(
			page.getByRole('link', {
				name: new RegExp(`^${format}\\s:\\ssuivi de la campagne «\\sBilan avant la séance\\s»$`)
			})
		).toBeVisible();
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

	// The journal writes the reminders as the campaign page does, and the box ticked in French.
	await page.goto('/admin/journal');
	const row = page.getByRole('row').filter({ hasText: /Campagne «\sBilan avant la séance\s»\s:/ });
	await expect(row.getByRole('listitem').filter({ hasText: /^rappels\s:/ })).toHaveText(
		/^rappels\s:\s+J-3\s+→\s+J-3, J-1$/
	);
	await expect(
		row.getByRole('listitem').filter({ hasText: /^prévenir les organisations/ })
	).toHaveText(/prévenir les organisations\s:\s+oui$/);
});

test('two administrators change the dates from the same page: the second keeps the first’s deadline, sent again', async ({
	page,
	browser
}) => {
	test.setTimeout(60_000);
	const deadline = daysAfter(parisToday(), 12);
	const later = daysAfter(parisToday(), 20);
	const address = await openFromPage(page, 'Bilan des deux administrateurs', deadline, '-7, -3');
	const context = await browser.newContext();
	const second = await context.newPage();
	await loginPage(second, ACCOUNTS.admin);
	await second.goto(address);

	// The first moves the deadline; the second, from the page read before, the reminders only.
	const submit = { name: 'Modifier l’échéance et les rappels' };
	await page.getByLabel('Nouvelle échéance').fill(later);
	await page.getByRole('button', submit).click();
	await expect(page.getByRole('status').first()).toContainText('Échéance modifiée');
	await second.getByLabel(/^Rappels/).fill('-10, -2');
	await second.getByRole('button', submit).click();
	await expect(second.getByRole('alert')).toContainText(
		`échéance reportée du ${formatDate(deadline)} au ${formatDate(later)}`
	);
	await expect(second.getByLabel('Nouvelle échéance')).toHaveValue(later);
	await expect(second.getByLabel(/^Rappels/)).toHaveValue('-10, -2');
	await expectNoAxeViolations(second);

	// Sent again, as the message invites: the first's deadline stays.
	await second.getByRole('button', submit).click();
	await expect(second.getByRole('status').first()).toContainText('Rappels modifiés');
	await expect(second.getByText(`Échéance le ${formatDate(later)}`)).toBeVisible();
	await expect(second.getByText('rappels à J-10, J-2').first()).toBeVisible();
	await context.close();
});

// Hostile probe s49: a title of one long unbroken word made « Clore la campagne « … » » wider than a
// phone's screen (the page was 392 px wide at 390).
test('a campaign titled with a long unbroken word fits a phone’s screen', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	const title = '=HYPERLINK("http://evil.example","Bilan")';
	await openFromPage(page, title, daysAfter(parisToday(), 16), '-3');
	await expect(page.getByRole('button', { name: /^Clore la campagne/ })).toBeVisible();
	expect(await pageWidth(page)).toBe(390);
	await context.close();
});

// Walk s58: at 390 px, the « Par fiche » table's two columns left a long organisation's name
// (120 characters) a narrow cell, where its words were cut in the middle without a hyphen.
test('a long organisation name keeps its words whole in a campaign’s « Par fiche » on a phone', async ({
	browser
}) => {
	const name =
		'Groupement interdépartemental anticonstitutionnellement radiotélécommunications électroencéphalographiques du Lot';
	const db = new SQLite(await portalDatabase());
	db.prepare("UPDATE organisation SET name = ? WHERE name = 'Assureurs'").run(name);
	db.close();
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await openFromPage(page, 'Bilan des noms longs', daysAfter(parisToday(), 17), '-3');
	const cell = page
		.getByRole('table', { name: 'Avancement par fiche' })
		.getByRole('cell', { name: new RegExp(name) });
	await expect(cell).toBeVisible();
	// Each word of the name drawn on one line (a word cut in two has two boxes).
	const cut = await cell.evaluate((td, whole) => {
		const text = [...td.querySelectorAll('li')].find((li) => li.textContent?.includes(whole))!;
		const node = [...text.childNodes].find((n) => n.textContent?.includes(whole))!;
		const start = node.textContent!.indexOf(whole);
		const words: string[] = [];
		for (const m of whole.matchAll(/\S+/g)) {
			const range = document.createRange();
			range.setStart(node, start + m.index);
			range.setEnd(node, start + m.index + m[0].length);
			if (range.getClientRects().length > 1) words.push(m[0]);
		}
		return words;
	}, name);
	expect(cut).toEqual([]);
	expect(await pageWidth(page)).toBe(390);
	await context.close();
});
