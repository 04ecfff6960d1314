import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { findProgressUpdate, listSubmittedUpdates } from '$lib/server/progress/repository';
import { ID_PATTERN } from '$lib/utils/text';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'queue.view');
	const db = getDb();
	// After « Valider et publier » or « Renvoyer pour correction » (`?fait=<id>`): the decision is
	// read back from the update itself, so an address made up by someone says nothing it did not do.
	const decidedId = Number(ID_PATTERN.exec(event.url.searchParams.get('fait') ?? '')?.[0]);
	const decided = Number.isSafeInteger(decidedId)
		? await findProgressUpdate(db, decidedId)
		: undefined;
	return {
		queue: await listSubmittedUpdates(db),
		decision:
			decided && (decided.state === 'validated' || decided.state === 'returned')
				? {
						ficheCode: decided.ficheCode,
						organisationName: decided.organisationName,
						validated: decided.state === 'validated'
					}
				: null
	};
};
