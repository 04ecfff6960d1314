import { mailIsRelayed, relayDownSince } from '$lib/server/mail/outbox';
import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	campaignCompletion,
	campaignDateProblems,
	changeCampaignDates,
	closeCampaign,
	closingCancelledMail,
	rebaseCampaignDatesTyping
} from '$lib/server/campaigns/service';
import { getDb } from '$lib/server/db/instance';
import type { User } from '$lib/server/auth/users';
import { markerFreshSince } from '$lib/server/http/done-answer';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import {
	CAMPAIGN_DATES_FIELDS,
	CampaignDatesSchema,
	CloseCampaignSchema
} from '$lib/schemas/campaign';
import { CONFIRM_FIELDS } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = await authorize(event, 'campaigns.manage');
	const result = await campaignCompletion(getDb(), Number(event.params.id));
	if (!result.ok) error(404, result.message);
	const { campaign, datesChanges } = result.value;
	const since = markerFreshSince();
	const last = datesChanges.at(-1);
	// « Campagne ouverte » only of a campaign still open, opened in the last minutes, and by this
	// admin as the campaign records it; « Échéance… modifiés » only of its latest change, likewise.
	const opened =
		event.url.searchParams.get('ouverte') === '1' &&
		campaign.closedAt === null &&
		ownFreshAct(viewer, { at: campaign.openedAt, by: campaign.openedBy }, since);
	const datesChanged =
		event.url.searchParams.get('dates') === '1' &&
		last !== undefined &&
		ownFreshAct(viewer, { at: last.changedAt, by: last.changedBy }, since);
	// Told only of a campaign that is closed (`?close=1` on an open one is a link made up).
	const closed =
		event.url.searchParams.get('close') === '1' && result.value.campaign.closedAt !== null;
	return {
		...result.value,
		opened,
		// The relay known down since then: the opening's messages wait, and the notice says so.
		relayDownSince: opened ? await relayDownSince(getDb()) : null,
		closed,
		datesChanged,
		// Read back from the outbox, never from the address: a link made up would show any number.
		cancelledMail: closed ? await closingCancelledMail(getDb(), result.value.campaign.id) : 0,
		mailed: mailIsRelayed()
	};
};

/**
 * A confirmation read from the address (`?ouverte=1`, `?dates=1`) holds when this campaign's act,
 * as the campaign records it (`at`, `by`: its opening, its latest change of dates), was done by
 * `viewer` no earlier than `since`: a link from history, sent later, crafted or read by another
 * admin says nothing. The record is written in the transaction that journals the act, with its
 * clock: the journal (latestOwnAct) would say nothing more, at one statement more.
 */
function ownFreshAct(
	viewer: Pick<User, 'id'>,
	act: { at: number; by: number | null },
	since: Date
): boolean {
	return act.by === viewer.id && act.at >= since.getTime();
}

export const actions: Actions = {
	dates: async (event) => {
		const admin = await authorize(event, 'campaigns.manage');
		const id = Number(event.params.id);
		const { answer, errors, values, typed, data } = readPostedForm(
			await event.request.formData(),
			CAMPAIGN_DATES_FIELDS,
			CampaignDatesSchema,
			{ form: 'dates' }
		);
		if (answer)
			// Those of the dates against today too (the schema read them), every problem at once.
			return invalidFormAnswer(
				{ ...errors, ...campaignDateProblems(typed.deadline, typed.reminders, Date.now(), true) },
				values
			);
		const result = await changeCampaignDates(
			getDb(),
			admin,
			id,
			{
				deadline: data.deadline,
				reminders: data.reminders,
				shownDeadline: data.shownDeadline,
				shownReminders: data.shownReminders,
				notify: data.notify === 'oui'
			},
			safeClientAddress(event)
		);
		if (!result.ok)
			// Changed meanwhile by another admin: the form is drawn again over the dates of now, the
			// fields the person had not touched with them (sent again, the other's change stays).
			return refusalAnswer(
				result,
				result.status === 409 ? await rebaseCampaignDatesTyping(getDb(), id, values) : values
			);
		redirect(303, `/admin/campagnes/${id}?dates=1`);
	},
	close: async (event) => {
		const admin = await authorize(event, 'campaigns.manage');
		const id = Number(event.params.id);
		const { answer } = readPostedForm(
			await event.request.formData(),
			CONFIRM_FIELDS,
			CloseCampaignSchema,
			undefined,
			{ oneField: true, echo: () => undefined }
		);
		if (answer) return answer;
		const result = await closeCampaign(getDb(), admin, id, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		redirect(303, `/admin/campagnes/${id}?close=1`);
	}
};
