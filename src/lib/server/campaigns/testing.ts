// Test helpers: a campaign opened as its form opens one. Not part of the portal.
import { daysAfter, parisToday } from '../../utils/dates';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { openCampaign, type CampaignInput } from './service';

/**
 * A campaign opened by `admin` as its form opens one: « Point d’étape », due in 30 days, for
 * every fiche, no reminder, unless `input` says otherwise. Its id; a refusal throws.
 */
export async function openedCampaign(
	db: Db,
	admin: User,
	input: Partial<CampaignInput> = {}
): Promise<number> {
	const opened = await openCampaign(
		db,
		admin,
		{
			title: 'Point d’étape',
			deadline: daysAfter(parisToday(), 30),
			scope: { kind: 'all' },
			sittingId: null,
			reminders: '',
			...input
		},
		null
	);
	if (!opened.ok) throw new Error(opened.message);
	return opened.value.id;
}
