import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { shownText } from '$lib/utils/html-testing';
import Page from './+page.svelte';

/** A campaign's page as it renders, with `data` over an open campaign's with nothing asked. */
function pageBody(data: Record<string, unknown>): string {
	return render(Page, {
		props: {
			data: {
				campaign: {
					id: 2,
					title: 'Campagne ouverte par erreur',
					deadline: '2026-12-31',
					reminderDays: [-3],
					sittingTitle: null,
					closedAt: null,
					closedByName: null
				},
				closed: false,
				opened: false,
				cancelledMail: 0,
				mailed: true,
				complete: false,
				done: 0,
				total: 0,
				fiches: [],
				organisations: [],
				notMailed: [],
				withoutAccount: [],
				invited: [],
				lostAccount: [],
				retiredSince: [],
				datesChanges: [],
				datesChanged: false,
				...data
			},
			form: null
		} as never
	}).body;
}

/** The notices at the top of a campaign's page, as it renders them (text only, spaces collapsed). */
function notices(data: Record<string, unknown>): string {
	return shownText(
		[...pageBody(data).matchAll(/<div class="notice[^"]*" role="status">([\s\S]*?)<\/div>/g)]
			.map((m) => m[1]!)
			.join(' ')
	);
}

describe('the notice of a campaign closed', () => {
	it('keeps the space between its sentences when mails waiting were cancelled', () => {
		expect(notices({ closed: true, cancelledMail: 2 })).toContain(
			'les partenaires ne la voient plus. 2 courriels d’ouverture'
		);
		expect(notices({ closed: true })).toMatch(/les partenaires ne la voient plus\.\s*$/);
	});
});

describe('the notice of a campaign whose dates changed', () => {
	// The figures came from the address (?prevenues=N): a link made up showed any number.
	const change = (
		deadlineAfter: string,
		reminderDaysAfter: number[],
		deadlineBefore = '2026-12-20',
		notified: number | null = 0
	) => ({
		deadlineBefore,
		deadlineAfter,
		reminderDaysBefore: [-3],
		reminderDaysAfter,
		changedAt: Date.parse('2026-12-10T10:00:00Z'),
		notified,
		changedByName: 'Anne Admin'
	});

	// Left noticed s49: `notified` was recorded, the page never said whether anyone was told.
	it('says how many organisations the last change of the deadline told, as recorded, and each listed change too', () => {
		const told = (notified: number) =>
			notices({
				datesChanged: true,
				datesChanges: [change('2026-12-31', [-3], '2026-12-20', notified)]
			});
		expect(told(2)).toMatch(/2\s?organisations prévenues de la nouvelle échéance\./);
		expect(told(1)).toMatch(/1\s?organisation prévenue de la nouvelle échéance\./);
		expect(told(0)).toContain('aucune organisation prévenue de la nouvelle échéance.');
		const listed = shownText(
			pageBody({
				datesChanges: [
					change('2026-12-31', [-3], '2026-12-20', 3),
					change('2026-12-31', [-7], '2026-12-31')
				]
			})
		);
		expect(listed).toMatch(/par Anne Admin \(3\s?organisations prévenues\)\./);
		// The reminder days alone tell nobody: nothing said of it.
		expect(listed).not.toContain('aucune organisation');
	});

	// Brief s51: a change recorded before the count (0 then) read « aucune organisation prévenue »,
	// though it may have told every organisation.
	it('says nothing of whom a change recorded before they were counted told', () => {
		const unknown = change('2026-12-31', [-3], '2026-12-20', null);
		const listed = shownText(pageBody({ datesChanges: [unknown] }));
		expect(listed).toMatch(/par Anne Admin\./);
		expect(listed).not.toContain('aucune organisation prévenue');
		const notice = notices({ datesChanged: true, datesChanges: [unknown] });
		expect(notice).toMatch(
			/les rappels à venir se comptent depuis la nouvelle échéance\. Le nombre de courriels/
		);
		expect(notice).not.toContain('prévenue');
	});

	it('shows no count taken from the address, and sends to the journal and the mail page', () => {
		const text = notices({
			datesChanged: true,
			datesChanges: [change('2026-12-31', [-7])],
			notified: 2,
			cancelledMail: 1
		});
		expect(text).toContain('Échéance et rappels modifiés');
		expect(text).not.toContain('2 organisations');
		expect(text).not.toContain('1 courriel');
		expect(text).toContain('inscrit au journal');
	});

	// Left noticed s48: after a change of the reminder days alone the notice said they were counted
	// « depuis la nouvelle échéance », and sent to the journal for messages told and cancelled:
	// the deadline had not moved, and nothing was cancelled nor sent.
	it('says what changed: the deadline, the reminders, or both', () => {
		const remindersOnly = notices({
			datesChanged: true,
			datesChanges: [change('2026-12-31', [-3]), change('2026-12-31', [-7, -1], '2026-12-31')]
		});
		expect(remindersOnly).toMatch(
			/^ ?Rappels modifiés \(rappels à J-7, J-1\) ; l’échéance du 31\s?décembre\s?2026 ne change pas : les courriels en attente, qui l’annoncent, partent, et aucune organisation n’est prévenue\. ?$/
		);
		expect(remindersOnly).not.toContain('nouvelle échéance');
		expect(notices({ datesChanged: true, datesChanges: [change('2026-12-31', [-3])] })).toMatch(
			/^ ?Échéance modifiée : les rappels à venir se comptent depuis la nouvelle échéance\s?; /
		);
		// A link made up, with no change recorded: no notice.
		expect(notices({ datesChanged: true })).toBe('');
	});

	it('lists each change under the deadline, and a reminder sent for the former deadline says so', () => {
		const text = shownText(
			pageBody({
				datesChanges: [change('2026-12-31', [-3])],
				organisations: [
					{
						id: 1,
						name: 'CDG46',
						done: 0,
						total: 1,
						missing: ['1-1'],
						reminders: [
							{ offset: -3, sentAt: Date.parse('2026-12-17T08:00:00Z'), deadline: '2026-12-20' }
						]
					}
				]
			})
		);
		expect(text).toMatch(
			/Échéance reportée du 20\s?décembre\s?2026 au 31\s?décembre\s?2026 le 10\s?décembre\s?2026 par Anne Admin/
		);
		expect(text).toMatch(/J-3 \(échéance du 20\s?décembre\s?2026\) le 17\s?décembre/);
	});
});

describe('the completion of a campaign', () => {
	// Counted since s46: an organisation that answered before losing its last account; « toutes
	// les organisations qui ont un compte » no longer said who was waited for.
	it('says which organisations it waited for when complete', () => {
		const body = pageBody({ complete: true, done: 2, total: 2 });
		expect(shownText(/<p class="completion"[^>]*>([\s\S]*?)<\/p>/.exec(body)![1]!)).toContain(
			'toutes les organisations attendues (celles qui ont un compte actif, et celles qui avaient répondu avant de le perdre) ont soumis leurs mises à jour (2/2)'
		);
	});
});

// Walkthrough s47: « Syndicat mixte Lot numérique : sans compte (ne peut pas répondre) » (since
// issue #14 « non attendue, faute de compte partenaire actif », campaign-opened-notice.spec), and
// nothing said who writes the syndicat's own updates (an admin opening the form got a 403).
describe('an organisation without an account', () => {
	it('says that administrators validate and the syndicat answers through a partner account', () => {
		const body = pageBody({ withoutAccount: ['Syndicat mixte Lot numérique'] });
		expect(
			shownText(/<p class="meta" id="syndicat-writes"[^>]*>([\s\S]*?)<\/p>/.exec(body)![1]!)
		).toContain(
			'Les administrateurs valident les mises à jour, ils n’y répondent pas : pour les fiches du syndicat, invitez un compte partenaire du Syndicat mixte Lot numérique.'
		);
		expect(pageBody({})).not.toContain('syndicat-writes');
	});
});

// Walkthrough s50: AMF46, whose only person was invited, was listed with « Inviter une personne »
// alone, as if nobody had been.
describe('an organisation whose only person is invited', () => {
	it('says its invitation is pending, and what accepting it brings', () => {
		const text = shownText(
			pageBody({ withoutAccount: ['AMF46', 'ARS Occitanie'], invited: ['AMF46'] })
		);
		expect(text).toContain('(AMF46 : invitation en attente, ARS Occitanie). Inviter une personne.');
		expect(text).toContain(
			'Une personne invitée qui accepte son invitation reçoit le courriel d’ouverture de la campagne.'
		);
		expect(shownText(pageBody({ withoutAccount: ['ARS Occitanie'] }))).not.toContain(
			'invitation en attente'
		);
	});
});

// Staff walkthrough, December 2026: an organisation retired after it answered was listed with
// « Inviter une personne », which cannot be done for it.
describe('an organisation retired after it answered', () => {
	it('is said retired, with no invitation suggested', () => {
		const text = shownText(pageBody({ retiredSince: ['Fibre 46 — Usages (retirée)'] }));
		expect(text).toContain(
			'Une organisation concernée, retirée après avoir répondu, est comptée sans être ni prévenue ni relancée par courriel : Fibre 46 — Usages (retirée).'
		);
		expect(text).not.toContain('Inviter une personne');
	});
});
