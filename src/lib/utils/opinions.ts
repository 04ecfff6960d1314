import { OPINION_LABELS } from './vocabulary';

/** A decision as the web and the report write it: « Priorité 2 → 1 », « Avis favorable »… */
export function decisionLabel(d: {
	kind: string;
	opinion: string | null;
	previousPriority?: number | null;
	newPriority: number | null;
}): string {
	if (d.kind === 'priority')
		return d.previousPriority == null
			? `Priorité → ${d.newPriority}`
			: `Priorité ${d.previousPriority} → ${d.newPriority}`;
	if (d.kind === 'opinion' && d.opinion && d.opinion in OPINION_LABELS)
		return OPINION_LABELS[d.opinion as keyof typeof OPINION_LABELS];
	return 'Décision';
}
