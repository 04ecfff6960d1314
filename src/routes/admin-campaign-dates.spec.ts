import { isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createTestUser } from '$lib/server/auth/testing';
import { changeCampaignDates, openCampaign } from '$lib/server/campaigns/service';
import { findCampaign } from '$lib/server/campaigns/repository';
import { daysAfter, parisToday } from '$lib/utils/dates';
import { formatDate } from '$lib/utils/format';
import { shownText } from '$lib/utils/html-testing';
import Page from './admin/campagnes/[id=id]/+page.svelte';
import * as campaign from './admin/campagnes/[id=id]/+page.server';
import { adminDatabase, idRoute, postAction, routeEvent, withSession } from './route-testing';

// /admin/campagnes/[id]: « Modifier l’échéance et les rappels », through the route's own action.

const portal = adminDatabase();

const ROUTE = '/admin/campagnes/[id=id]';

/** What the action answers: its refusal's data, or where its redirect leads. */
async function send(id: number, fields: Record<string, string>) {
	const at = { ...idRoute(ROUTE, id), path: `/admin/campagnes/${id}?/dates` };
	const signedIn = await withSession(portal.db, portal.admin);
	const answer = await Promise.resolve(
		postAction(campaign.actions.dates, at, signedIn, fields)
	).catch((thrown: unknown) => thrown);
	if (isRedirect(answer)) return { location: answer.location };
	return answer as { status: number; data: { message: string; values: Record<string, string> } };
}

describe('changing a campaign’s dates after another admin did', () => {
	it('draws the form again with the other’s deadline where the person had left it: sent again, it stays (security probe)', async () => {
		const deadline = daysAfter(parisToday(), 30);
		const later = daysAfter(deadline, 5);
		const opened = await openCampaign(
			portal.db,
			portal.admin,
			{
				title: 'Bilan avant la séance',
				deadline,
				scope: { kind: 'all' },
				sittingId: null,
				reminders: '-14, -3'
			},
			null
		);
		if (!opened.ok) throw new Error(opened.message);
		const { id } = opened.value;
		// Both pages showed the deadline and « -14, -3 »; the other admin moves the deadline.
		const other = await createTestUser(portal.db, {
			email: 'autre@lot.fr',
			name: 'Alix Autre',
			role: 'admin'
		});
		const moved = await changeCampaignDates(
			portal.db,
			other,
			id,
			{
				deadline: later,
				reminders: '-14, -3',
				shownDeadline: deadline,
				shownReminders: '-14, -3',
				notify: false
			},
			null
		);
		expect(moved.ok).toBe(true);

		// This one changes the reminders only (typed with other spaces), from the page shown before.
		const shown = { shownDeadline: deadline, shownReminders: '-14, -3', notify: 'oui' };
		const refused = await send(id, { ...shown, deadline, reminders: '-10,-2' });
		expect(refused).toMatchObject({
			status: 409,
			data: {
				message: `L’échéance ou les rappels de cette campagne ont été modifiés entre-temps : échéance reportée du ${formatDate(deadline)} au ${formatDate(later)}. Rien n’a été changé. Vos changements sont conservés ci-dessous, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez-les, puis renvoyez le formulaire au besoin.`,
				values: { form: 'dates', deadline: later, reminders: '-10,-2', notify: 'oui' }
			}
		});
		// The dates shown are not given back: the page shows those of now.
		const values = 'data' in refused ? refused.data.values : {};
		expect(values).not.toHaveProperty('shownDeadline');

		// Sent again as drawn, over the dates of now: the other's deadline stays.
		const again = await send(id, {
			...values,
			shownDeadline: later,
			shownReminders: '-14, -3'
		});
		expect(again).toEqual({ location: `/admin/campagnes/${id}?dates=1` });
		expect(await findCampaign(portal.db, id)).toMatchObject({
			deadline: later,
			reminderDays: [-10, -2]
		});

		// A field the person did change keeps their typing, against the other's change.
		await changeCampaignDates(
			portal.db,
			other,
			id,
			{
				deadline,
				reminders: '-7',
				shownDeadline: later,
				shownReminders: '-10, -2',
				notify: false
			},
			null
		);
		const typed = daysAfter(later, 2);
		const kept = await send(id, {
			shownDeadline: later,
			shownReminders: '-10, -2',
			notify: '',
			deadline: typed,
			reminders: '-10, -2'
		});
		expect(kept).toMatchObject({
			status: 409,
			data: { values: { deadline: typed, reminders: '-7', notify: '' } }
		});
		expect('data' in kept && kept.data.message).toContain(
			`échéance avancée du ${formatDate(later)} au ${formatDate(deadline)} ; rappels : rappels à J-10, J-2 → rappel à J-7.`
		);
	});
});

// Staff walkthrough, December 2026: an empty « Nouvelle échéance » sent was told « Le formulaire
// contient des erreurs : corrigez les champs signalés. » alone, no field named above the form.
describe('the dates’ form refused field by field', () => {
	it('names each refused field above the form, with a link to it, as the other forms do', async () => {
		const opened = await openCampaign(
			portal.db,
			portal.admin,
			{
				title: 'Bilan avant la séance',
				deadline: daysAfter(parisToday(), 30),
				scope: { kind: 'all' },
				sittingId: null,
				reminders: '-14, -3'
			},
			null
		);
		if (!opened.ok) throw new Error(opened.message);
		const { id } = opened.value;
		const campaignNow = (await findCampaign(portal.db, id))!;
		const refused = await send(id, {
			shownDeadline: campaignNow.deadline,
			shownReminders: '-14, -3',
			notify: 'oui',
			deadline: '',
			reminders: '-14, -3'
		});
		expect(refused).toMatchObject({ status: 400 });
		const data = await campaign.load(
			routeEvent(`/admin/campagnes/${id}`, ROUTE, { id: String(id) }, portal.admin) as never
		);
		const body = render(Page, {
			props: { data, form: 'data' in refused ? refused.data : null } as never
		}).body;
		const summary = /<div[^>]*data-error-summary[^>]*>([\s\S]*?)<\/div>/.exec(body)![1]!;
		expect(shownText(summary)).toMatch(/^Les dates n’ont pas été modifiées : 1 champ à corriger /);
		expect(summary).toContain('href="#deadline"');
		expect(shownText(summary)).not.toContain('Le formulaire contient des erreurs');
	});
});
