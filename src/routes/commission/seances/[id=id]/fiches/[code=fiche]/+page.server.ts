import { error } from '@sveltejs/kit';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { can, sittingConvened } from '$lib/server/auth/permissions';
import { findSitting } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { movedFicheCode } from '$lib/server/http/moved-fiche';
import { deletedSittingNotice, sittingFileView } from '$lib/server/commission/service';
import type { PageServerLoad } from './$types';
import { SITTING_NOT_FOUND } from '$lib/utils/vocabulary';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = getDb();
	const sitting = await findSitting(db, Number(event.params.id));
	if (!sitting) {
		// Deleted since its convocation named this file: said to members, and to those the
		// convocation reached, as the séance page does.
		const gone = await deletedSittingNotice(db, Number(event.params.id), {
			id: user.id,
			manages: can(user, 'commission.manage')
		});
		if (gone)
			error(404, {
				message: gone,
				next: { href: '/commission', label: 'Les séances de la commission' }
			});
		error(404, SITTING_NOT_FOUND);
	}
	const item = sitting.items.find((i) => i.fiche?.code === event.params.code);
	// A fiche moved to another objective since the convocation's link was sent: its file is under
	// its new code (307).
	if (!item) await movedFicheCode(event);
	// A member or an admin, who may read any fiche's file on the agenda, is told why there is none;
	// anyone else is refused as for any file they may not read.
	if (
		!item &&
		can(user, 'commission.file.view', { ficheOrganisationIds: [], onAgenda: true, convened: true })
	)
		error(
			404,
			`La fiche ${event.params.code} n’est pas à l’ordre du jour de cette séance : elle n’y a pas de dossier de préparation.`
		);
	await authorize(event, 'commission.file.view', {
		ficheOrganisationIds: item?.fiche?.organisationIds ?? [],
		onAgenda: item !== undefined,
		convened: sittingConvened(sitting)
	});
	return sittingFileView(db, user, sitting, event.params.code);
};
