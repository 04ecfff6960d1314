import { missing, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { discardedWords, ownDiscardedDraft } from '$lib/server/progress/service';
import { UPDATE_NOT_FOUND } from '$lib/utils/vocabulary';
import type { PageServerLoad } from './$types';

/**
 * « Brouillon supprimé »: where a partner lands once their organisation's draft is discarded (and
 * a second tab, or a link to it, since). Anyone else is answered as for a missing update.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const discarded = await ownDiscardedDraft(getDb(), user, Number(event.params.id));
	if (!discarded) missing(event, UPDATE_NOT_FOUND);
	return {
		discarded: {
			ficheCode: discarded.ficheCode,
			ficheTitle: discarded.ficheTitle,
			how: discardedWords(discarded)
		},
		again: event.url.searchParams.has('deja'),
		// The form of a new update, for an organisation that still works on the fiche.
		carried: discarded.carried
	};
};
