import { redirect } from '@sveltejs/kit';
import { latestOwnAct } from '$lib/server/audit/repository';
import { markerFreshSince } from '$lib/server/http/done-answer';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { can, homeFor } from '$lib/server/auth/permissions';
import { campaignsForOrganisation } from '$lib/server/campaigns/service';
import { getDb } from '$lib/server/db/instance';
import {
	listFichesForOrganisation,
	listOrganisationValidatedSince
} from '$lib/server/progress/repository';
import { listPendingUpdates } from '$lib/server/progress/service';
import { parisToday } from '$lib/utils/dates';
import { asksNothingOf, isStale, recentlyValidatedSince } from '$lib/utils/rules';
import { updateAuthorship } from '$lib/utils/vocabulary';
import type { PageServerLoad } from './$types';

// A partner's own page: a member or an admin who follows a partner's link (or signs in again
// after their role changed, coming back here) is taken to their home page rather than refused.
export const load: PageServerLoad = async (event) => {
	const signedIn = requireUser(event);
	if (!can(signedIn, 'espace.enter')) redirect(303, homeFor(signedIn.role));
	const user = await authorize(event, 'espace.view');
	const db = getDb();
	const today = parisToday();
	const year = Number(today.slice(0, 4));
	const [fiches, pending, validated] = [
		await listFichesForOrganisation(db, user.organisationId!, year),
		await listPendingUpdates(db, user),
		await listOrganisationValidatedSince(db, user.organisationId!, recentlyValidatedSince(today))
	];
	// After « Soumettre »: which update was received (only one of the organisation's own), said
	// only when the journal holds this person's submission of it since markerFreshSince (a link
	// crafted, opened later or by a colleague says nothing; « déjà reçue » follows a replayed double).
	const submittedId = Number(event.url.searchParams.get('soumis'));
	const pendingOne = pending.find((u) => u.id === submittedId && u.state === 'submitted');
	const onUpdate = { type: 'suivi', id: submittedId } as const;
	const submitted =
		pendingOne &&
		(await latestOwnAct(db, user.id, 'update.submitted', markerFreshSince(), onUpdate))
			? pendingOne
			: undefined;
	return {
		campaigns: await campaignsForOrganisation(db, user.organisationId!, today),
		organisation: user.organisationName,
		validated,
		confirmation: submitted
			? {
					id: submitted.id,
					ficheCode: submitted.ficheCode,
					submittedAt: submitted.submittedAt,
					// A fiche abandoned while its form was open: the notice says so, as the form does.
					ficheRetiredOn: submitted.ficheRetiredOn,
					repeated: event.url.searchParams.get('deja') === '1'
				}
			: null,
		year,
		// An abandoned fiche is asked for nothing (its updates are still taken, for its history).
		fiches: fiches.map((f) => ({
			...f,
			stale: isStale(f, today),
			due: !asksNothingOf(f) && f.indicatorsWithoutValueThisYear > 0
		})),
		pending: pending.map((u) => ({
			id: u.id,
			ficheCode: u.ficheCode,
			ficheTitle: u.ficheTitle,
			reportedOn: u.reportedOn,
			state: u.state,
			reviewComment: u.reviewComment,
			returnedAt: u.returnedAt,
			authorship: updateAuthorship(u),
			submittedAt: u.submittedAt,
			// Its organisation no longer works on the fiche: read only (/espace/suivis/[id] says why),
			// decided by the service as that page decides it.
			carried: u.carried
		}))
	};
};
