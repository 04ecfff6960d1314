import { error } from '@sveltejs/kit';
import { authorize, requireUser } from '$lib/server/auth/guards';
import {
	findPreviousClosedSitting,
	findProgressAsOf,
	findSitting,
	listFicheFlags,
	listPriorityHistory
} from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { findFicheByCode } from '$lib/server/plan/repository';
import { ficheCampaignStatus } from '$lib/server/campaigns/service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const db = getDb();
	const sitting = await findSitting(db, Number(event.params.id));
	if (!sitting) error(404, 'Cette séance n’existe pas.');
	const item = sitting.items.find((i) => i.fiche?.code === event.params.code);
	await authorize(event, 'commission.file.view', {
		ficheOrganisationIds: item?.fiche?.organisationIds ?? [],
		onAgenda: item !== undefined
	});
	const fiche = (await findFicheByCode(db, event.params.code))!;
	const previous = await findPreviousClosedSitting(db, sitting.heldOn, sitting.id);
	const since = previous?.heldOn ?? '0000-01-01';
	const progressThen = previous ? await findProgressAsOf(db, fiche.id, previous.heldOn) : null;
	const flags = (await listFicheFlags(db, sitting.heldOn)).find((f) => f.code === fiche.code)!;
	return {
		sitting: {
			id: sitting.id,
			heldOn: sitting.heldOn,
			startsAt: sitting.startsAt,
			title: sitting.title,
			place: sitting.place
		},
		previousDate: previous?.heldOn ?? null,
		campaigns: await ficheCampaignStatus(db, fiche.id),
		fiche: {
			code: fiche.code,
			title: fiche.title,
			priority: fiche.priority,
			status: fiche.status,
			progress: fiche.progress,
			lastUpdate: fiche.lastUpdate,
			owners: fiche.owners,
			linked: fiche.linked,
			citedBy: fiche.citedBy
		},
		progressThen,
		measurements: fiche.indicators.map((i) => ({
			label: i.label,
			kind: i.kind,
			unit: i.unit,
			values: i.measurements.filter((m) => m.measuredOn > since)
		})),
		updates: fiche.history.filter((h) => h.reportedOn > since),
		flags,
		priorityHistory: await listPriorityHistory(db, fiche.id)
	};
};
