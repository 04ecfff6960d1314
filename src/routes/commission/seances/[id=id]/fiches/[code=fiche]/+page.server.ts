import { error } from '@sveltejs/kit';
import { deny, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { redirectToMovedFiche } from '$lib/server/http/moved-fiche';
import { sittingFileView } from '$lib/server/commission/service';
import type { PageServerLoad } from './$types';

// What the file shows, and who may read it, is decided by sittingFileView: this answers it.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { code } = event.params;
	const answer = await sittingFileView(getDb(), user, Number(event.params.id), code);
	if (!answer.ok) {
		if (answer.status === 403) await deny(event, user, 'commission.file.view');
		error(
			answer.status,
			answer.next ? { message: answer.message, next: answer.next } : answer.message
		);
	}
	if ('movedTo' in answer.value) redirectToMovedFiche(event.url, code, answer.value.movedTo);
	return answer.value.file;
};
