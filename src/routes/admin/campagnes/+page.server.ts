import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { campaignDateProblems, campaignsPage, openCampaign } from '$lib/server/campaigns/service';
import type { Scope } from '$lib/server/campaigns/repository';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { CAMPAIGN_FIELDS, CampaignSchema } from '$lib/schemas/campaign';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'campaigns.manage');
	return campaignsPage(getDb());
};

export const actions: Actions = {
	open: async (event) => {
		const admin = await authorize(event, 'campaigns.manage');
		const { answer, errors, values, typed, data } = readPostedForm(
			await event.request.formData(),
			CAMPAIGN_FIELDS,
			CampaignSchema
		);
		if (answer)
			return invalidFormAnswer(
				// Those of the dates against today too (the schema read them), every problem at once.
				{ ...errors, ...campaignDateProblems(typed.deadline, typed.reminders) },
				values
			);
		const scope: Scope =
			data.scope === 'axis'
				? { kind: 'axis', axisId: Number(data.axis) }
				: data.scope === 'priority'
					? { kind: 'priority', priority: Number(data.priority) }
					: data.scope === 'organisation'
						? { kind: 'organisation', organisationId: Number(data.organisation) }
						: { kind: 'all' };
		const result = await openCampaign(
			getDb(),
			admin,
			{
				title: data.title,
				deadline: data.deadline,
				scope,
				sittingId: data.sitting ? Number(data.sitting) : null,
				reminders: data.reminders
			},
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/admin/campagnes/${result.value.id}?ouverte=1`);
	}
};
