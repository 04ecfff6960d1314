import { error } from '@sveltejs/kit';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { can, sittingConvened } from '$lib/server/auth/permissions';
import {
	findPreviousClosedSitting,
	findSitting,
	listPriorityHistory
} from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { movedFicheCode } from '$lib/server/http/moved-fiche';
import { findFicheByCode, findFichePeriod } from '$lib/server/plan/repository';
import { ficheCampaignStatus } from '$lib/server/campaigns/service';
import {
	deletedSittingNotice,
	ficheStateOn,
	flagsReadOn,
	listFicheFlags
} from '$lib/server/commission/service';
import { parisToday } from '$lib/utils/dates';
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
	const fiche = (await findFicheByCode(db, event.params.code))!;
	const previous = await findPreviousClosedSitting(db, sitting.heldOn, sitting.id);
	// What was reported between the previous séance and this one's day, whenever it is read.
	const period = await findFichePeriod(db, fiche.id, previous?.heldOn ?? null, sitting.heldOn);
	// A closed séance's file, or that of a séance whose day is past, shows the fiche as it stood on
	// its day, today's state beside it; before then, the fiche as it is now.
	const closed = sitting.state === 'closed';
	const day = closed ? sitting.heldOn : flagsReadOn(sitting.heldOn, parisToday());
	const then = day === null ? null : await ficheStateOn(db, fiche.code, day);
	const flags = then ?? (await listFicheFlags(db, sitting.heldOn, fiche.code))[0]!;
	return {
		sitting: {
			id: sitting.id,
			heldOn: sitting.heldOn,
			startsAt: sitting.startsAt,
			title: sitting.title,
			place: sitting.place,
			// As the séance page lets in (its record once closed, else members and staff): a partner
			// convened to an open séance reads this file but not the séance, which answers 403.
			readable: can(user, 'commission.sitting.view', { closed: sitting.state === 'closed' })
		},
		previousDate: previous?.heldOn ?? null,
		// A partner reads their own organisation's state only (members and staff: every one's).
		campaigns: await ficheCampaignStatus(
			db,
			fiche.id,
			can(user, 'campaigns.states.all') ? undefined : user.organisationId
		),
		fiche: {
			code: fiche.code,
			title: fiche.title,
			priority: flags.priority,
			status: flags.status,
			progress: then ? then.progress : fiche.progress,
			lastUpdate: flags.lastUpdate,
			owners: fiche.owners,
			linked: fiche.linked,
			citedBy: fiche.citedBy
		},
		// The day the state above is of (the séance's), and today's beside it; null: today's.
		stateOn: then ? sitting.heldOn : null,
		closed,
		current: then
			? { priority: fiche.priority, status: fiche.status, progress: fiche.progress }
			: null,
		progressThen: period.progressAtStart,
		measurements: period.indicators,
		updates: period.updates,
		flags,
		priorityHistory: await listPriorityHistory(db, fiche.id)
	};
};
