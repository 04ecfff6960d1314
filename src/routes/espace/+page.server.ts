import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import {
	listFichesForOrganisation,
	listOrganisationPendingUpdates
} from '$lib/server/progress/repository';
import { parisToday, shiftDay } from '$lib/utils/dates';
import type { PageServerLoad } from './$types';


export const load: PageServerLoad = async (event) => {
	const user = await authorize(event, 'espace.view');
	const db = getDb();
	const today = parisToday();
	const year = Number(today.slice(0, 4));
	const limit = shiftDay(today, 182);
	const [fiches, pending] = [
		await listFichesForOrganisation(db, user.organisationId!, year),
		await listOrganisationPendingUpdates(db, user.organisationId!)
	];
	return {
		organisation: user.organisationName,
		year,
		fiches: fiches.map((f) => ({
			...f,
			stale: f.lastUpdate === null || f.lastUpdate < limit,
			due: f.indicatorsWithoutValueThisYear > 0
		})),
		pending: pending.map((u) => ({
			id: u.id,
			ficheCode: u.ficheCode,
			ficheTitle: u.ficheTitle,
			reportedOn: u.reportedOn,
			state: u.state,
			reviewComment: u.reviewComment,
			authorName: u.authorName
		}))
	};
};
