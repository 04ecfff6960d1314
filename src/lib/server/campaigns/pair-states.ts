// A campaign's pairs (a fiche and an organisation asked for it) and the one rule that tells each
// pair's state (withPairStates), read by every page, file and message of the campaigns.
import { UPDATE_STATE_LABELS, UPDATE_STATE_WORDS } from '../../utils/vocabulary';

export type PairState = 'submitted' | 'validated' | 'returned' | 'missing' | 'unreachable';

export const PAIR_LABELS: Record<PairState, string> = {
	submitted: UPDATE_STATE_WORDS.submitted,
	validated: UPDATE_STATE_WORDS.validated,
	returned: UPDATE_STATE_LABELS.returned,
	missing: 'manquante',
	// As the commission's file says it (« Non attendue, faute de compte partenaire actif »).
	unreachable: 'non attendue, faute de compte partenaire actif'
};

/**
 * The one rule by which every reader of a campaign's pairs (its page and follow-up files, the
 * commission's review file, /espace, the opening and the reminders, a message judged before it
 * leaves) tells each pair's state. A submission (waiting or validated) answers the campaign; a
 * returned or absent one does not. An organisation with no active account that answered none of
 * its fiches can neither be told nor answer: « non attendue », not waited for. One that answered
 * at least one (before its last partner left or it was retired) was reached: what it submitted
 * stays submitted, and the rest is missing (or returned), counted like any other organisation's.
 */
export function withPairStates<
	T extends { organisationId: number; state: string | null; hasAccount: unknown }
>(pairs: T[]): (T & { pairState: PairState })[] {
	const reached = new Set(
		pairs
			.filter((p) => p.hasAccount || p.state === 'submitted' || p.state === 'validated')
			.map((p) => p.organisationId)
	);
	return pairs.map((p) => {
		const { state } = p;
		const pairState: PairState =
			state === 'submitted' || state === 'validated'
				? state
				: !reached.has(p.organisationId)
					? 'unreachable'
					: state === 'returned'
						? 'returned'
						: 'missing';
		return { ...p, pairState };
	});
}

export const answersCampaign = (s: PairState) => s === 'submitted' || s === 'validated';

/** An organisation's name in a campaign's follow-up: one retired since it answered says so. */
export const shownName = (pair: { organisation: string; retiredAt: string | null }) =>
	pair.retiredAt === null ? pair.organisation : `${pair.organisation} (retirée)`;

/** Groups a campaign's pairs by organisation: its people get one message listing its fiches. */
export function byOrganisation<T extends { organisationId: number }>(pairs: T[]): Map<number, T[]> {
	const map = new Map<number, T[]>();
	for (const pair of pairs)
		map.set(pair.organisationId, [...(map.get(pair.organisationId) ?? []), pair]);
	return map;
}
