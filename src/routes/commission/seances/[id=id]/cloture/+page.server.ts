import { error, redirect } from '@sveltejs/kit';
import { authorize } from '$lib/server/auth/guards';
import { findSitting } from '$lib/server/commission/repository';
import { getDb } from '$lib/server/db/instance';
import { refusedBackHere } from '$lib/server/http/done-answer';
import {
	CLOSE_BEFORE_HELD_MESSAGE,
	conflictsAdvice,
	EMPTY_AGENDA_MESSAGE,
	listPriorityConflicts
} from '$lib/server/commission/service';
import { sittingHeader } from '$lib/server/commission/sitting-header';
import type { PageServerLoad } from './$types';
import { SITTING_NOT_FOUND } from '$lib/utils/vocabulary';

// The confirmation step before closing a sitting: what takes effect, what is frozen. The form
// posts to the sitting's `close` action, which refuses a post that does not come from here.
export const load: PageServerLoad = async (event) => {
	await authorize(event, 'commission.manage');
	const sitting = await findSitting(getDb(), Number(event.params.id));
	if (!sitting) error(404, SITTING_NOT_FOUND);
	// Closed already (the page reloaded or gone back to after closing): its relevé, not an error.
	if (sitting.state === 'closed') redirect(303, `/commission/seances/${sitting.id}`);
	// Still in preparation: said under a heading in words, with the way back to the séance.
	if (sitting.state !== 'held')
		error(409, {
			message: CLOSE_BEFORE_HELD_MESSAGE,
			next: { href: `/commission/seances/${sitting.id}`, label: 'Retour à la séance' }
		});
	const decisions = sitting.items.flatMap((item) =>
		item.decisions.map((d) => ({
			id: d.id,
			kind: d.kind,
			opinion: d.opinion,
			currentPriority: item.fiche?.priority ?? d.previousPriority,
			newPriority: d.newPriority,
			text: d.text,
			subject: item.fiche ? `Fiche ${item.fiche.code} — ${item.fiche.title}` : (item.title ?? '')
		}))
	);
	const conflicts = await listPriorityConflicts(getDb(), sitting.id, sitting);
	return {
		// Priority decisions closing would refuse: the members take them back first.
		conflicts: conflicts.map((c) => c.message),
		conflictsAdvice: conflictsAdvice(conflicts.length),
		// Nothing on the agenda: closing would be refused (changeSittingState), said here first.
		emptyAgenda: sitting.items.length === 0 ? EMPTY_AGENDA_MESSAGE : null,
		// Sent back by the form: closing applies these decisions or none (changeSittingState).
		shownDecisions: decisions.map((d) => d.id).join(','),
		// Back here because decisions changed after this page was read: the closing was refused
		// just now (refusedBack; a crafted link says nothing), which the page's title says
		// (« Erreur : », the root layout's rule for `refused`).
		refused: refusedBackHere(event),
		sitting: { ...sittingHeader(sitting), attendees: sitting.attendees.length },
		// Those in conflict are named above instead: they would change nothing as recorded.
		priorityChanges: decisions.filter(
			(d) => d.kind === 'priority' && !conflicts.some((c) => c.decisionId === d.id)
		),
		otherDecisions: decisions.filter((d) => d.kind !== 'priority'),
		undecided: sitting.items
			.filter((item) => item.decisions.length === 0)
			.map((item) => (item.fiche ? `Fiche ${item.fiche.code}` : (item.title ?? '')))
	};
};
