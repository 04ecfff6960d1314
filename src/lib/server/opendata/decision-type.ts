import type { DecisionKind, Opinion } from '../db/schema';

/** French codes of a decision's `type`: the kind of decision, and for an opinion which one. */
export const DECISION_TYPES = [
	'priorite',
	'avis_favorable',
	'avis_reserve',
	'avis_defavorable',
	'prise_acte',
	'libre'
] as const;

/**
 * A decision's `type` as the open data publishes it (docs/open-data.md, `decisions.csv`), and as
 * every machine file of the portal writes it (a séance's `releve.csv`).
 */
export function decisionType(d: {
	kind: DecisionKind;
	opinion: Opinion | null;
}): (typeof DECISION_TYPES)[number] {
	if (d.kind === 'priority') return 'priorite';
	if (d.kind === 'free') return 'libre';
	return d.opinion === 'prise_acte' ? 'prise_acte' : (`avis_${d.opinion ?? 'favorable'}` as const);
}
