import { error, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import type { User } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, refusalAnswer } from '$lib/server/http/form-answer';
import {
	findProgressUpdate,
	findPublishedState,
	findReplacedMeasurements,
	findStatingUpdates
} from '$lib/server/progress/repository';
import { replacedValuesOf, reviewProgressUpdate } from '$lib/server/progress/service';
import { parseForm } from '$lib/schemas/form';
import { updateRank } from '$lib/utils/rules';
import { REVIEW_FIELDS, ReviewSchema } from '$lib/schemas/review';
import type { Actions, PageServerLoad } from './$types';
import { UPDATE_NOT_FOUND } from '$lib/utils/vocabulary';

export const load: PageServerLoad = async (event) => {
	const admin = await authorize(event, 'queue.view');
	const update = await findProgressUpdate(getDb(), Number(event.params.id));
	if (!update) error(404, UPDATE_NOT_FOUND);
	// A draft (never sent, or withdrawn by its organisation) is visible to that organisation alone,
	// as the partner's form promises: staff learn whose it is, not what it says.
	if (update.state === 'draft')
		return {
			update: null,
			draft: {
				ficheCode: update.ficheCode,
				ficheTitle: update.ficheTitle,
				organisationName: update.organisationName
			},
			replacedOwn: []
		};
	// What the fiche publishes today, beside what the update proposes: a drop (35 % → 10 %) is seen
	// before validating, and an update dated before the latest published one changes neither.
	const published = await findPublishedState(getDb(), update.ficheId);
	const stating = await findStatingUpdates(getDb(), update.ficheId);
	// The day of the validated update that keeps setting what this one states, if it comes after
	// it in the fiche's order (updateRank: its day, then its id).
	const laterThan = (row: { id: number; reportedOn: string } | undefined, states: boolean) =>
		update.state === 'submitted' && states && row && updateRank(row) > updateRank(update)
			? row.reportedOn
			: null;
	return {
		update,
		draft: null,
		published,
		// The published values its own replace once validated (one per indicator and day).
		replaced:
			update.state === 'submitted' ? await findReplacedMeasurements(getDb(), update.id) : [],
		// Its own values that a later validation replaced: shown as such, not dropped.
		replacedOwn: await replacedValuesOf(getDb(), admin, {
			id: update.id,
			ficheOrganisationIds: []
		}),
		superseded: {
			status: laterThan(stating.status, update.status !== null),
			progress: laterThan(stating.progress, update.progress !== null)
		}
	};
};

async function decide(
	event: Parameters<Actions[string]>[0],
	admin: User,
	decision: 'validate' | 'return'
) {
	const id = Number(event.params.id);
	const form = await event.request.formData();
	// « Valider » has no comment field: a comment posted with it is not read (it used to be mailed).
	if (decision === 'validate') form.delete('comment');
	const { values, errors, data } = parseForm(form, REVIEW_FIELDS, ReviewSchema);
	if (!data || Object.keys(errors).length > 0)
		return invalidFormAnswer(errors, { comment: values.comment });
	const result = await reviewProgressUpdate(
		getDb(),
		admin,
		{ updateId: id, version: data.version, decision, comment: data.comment },
		safeClientAddress(event)
	);
	if (!result.ok) return refusalAnswer(result, { comment: values.comment });
	// The list reads the decision back by this id (never words from the address).
	redirect(303, `/admin/suivis?fait=${id}`);
}

export const actions: Actions = {
	valider: async (event) => {
		const admin = await authorize(event, 'queue.view');
		return decide(event, admin, 'validate');
	},
	renvoyer: async (event) => {
		const admin = await authorize(event, 'queue.view');
		return decide(event, admin, 'return');
	}
};
