// The campaigns as other pages read them: /admin/campagnes's list and form (campaignsPage), the
// commission's review file (ficheCampaignStatus).
import type { Db } from '../db';
import { listOrganisationChoices } from '../authoring/repository';
import { compareFrench } from '../../utils/text';
import {
	campaignPairs,
	campaignsOfFiche,
	listAxisChoices,
	listCampaigns,
	listOpenSittings
} from './repository';
import { PAIR_LABELS, withPairStates, shownName } from './pair-states';

const DEFAULT_REMINDERS = '-14, -3, +1';

/**
 * The commission's review file: the fiche's state in each campaign it is part of, for each
 * organisation asked; with `onlyOrganisationId` (a partner reading the file), that organisation's
 * only: how staff judged another's update (« renvoyée ») is not a partner's to read.
 */
export async function ficheCampaignStatus(
	db: Db,
	ficheId: number,
	onlyOrganisationId?: number | null
) {
	const result = [];
	for (const c of await campaignsOfFiche(db, ficheId)) {
		const pairs = withPairStates(await campaignPairs(db, c.id)).filter(
			(p) =>
				p.ficheId === ficheId &&
				(onlyOrganisationId === undefined || p.organisationId === onlyOrganisationId)
		);
		// A campaign that asked nothing of the partner's organisation on this fiche: not theirs.
		if (pairs.length === 0 && onlyOrganisationId !== undefined) continue;
		result.push({
			...c,
			organisations: pairs.map((p) => ({
				name: shownName(p),
				label: PAIR_LABELS[p.pairState],
				state: p.pairState
			}))
		});
	}
	return result;
}

/** /admin/campagnes: the campaigns and what the form offers. */
export async function campaignsPage(db: Db) {
	return {
		campaigns: await listCampaigns(db),
		axes: await listAxisChoices(db),
		// French order: « Ad’Occ » before « ARS », « École… » and « État » among the E.
		organisations: (await listOrganisationChoices(db)).sort((a, b) =>
			compareFrench(a.name, b.name)
		),
		sittings: await listOpenSittings(db),
		defaultReminders: DEFAULT_REMINDERS
	};
}
