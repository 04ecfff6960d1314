import type { IndicatorKind } from '../server/db/schema';

import { NOT_A_NUMBER } from './vocabulary';

export type { IndicatorKind };

export const INDICATOR_KINDS: readonly IndicatorKind[] = [
	'count',
	'percentage',
	'amount',
	'boolean'
];

/**
 * An indicator's kind, one name each: what every list of changes says (the form's and the workbook
 * import's, « nature : nombre → montant en euros ») and what the form offers, with what the kind
 * takes (INDICATOR_KIND_LABELS). The workbook's cells are a file format and keep their own words
 * (INDICATOR_KIND_CELLS, « Montant en euros »).
 */
export const INDICATOR_KIND_NAMES: Record<IndicatorKind, string> = {
	count: 'nombre',
	percentage: 'pourcentage',
	amount: 'montant en euros',
	boolean: 'oui ou non'
};

/** The form's choices: each kind's name, with what it takes where the name does not say it. */
export const INDICATOR_KIND_LABELS: Record<IndicatorKind, string> = {
	count: `${INDICATOR_KIND_NAMES.count} (jamais négatif)`,
	percentage: `${INDICATOR_KIND_NAMES.percentage} (de 0 à 100)`,
	amount: INDICATOR_KIND_NAMES.amount,
	boolean: `${INDICATOR_KIND_NAMES.boolean} (1 ou 0)`
};

/** What the partner's « Valeur » field says it expects, by kind (none for a plain number). */
export const INDICATOR_VALUE_HINTS: Record<IndicatorKind, string | null> = {
	count: null,
	percentage: 'de 0 à 100, le signe % est permis',
	amount: 'en euros',
	boolean: '« oui » ou « non » (ou 1 ou 0)'
};

/** « oui », « non » for a yes/no indicator (the words its public page shows); null otherwise. */
export function yesNoValue(raw: string): 0 | 1 | null {
	const word = raw.trim().toLowerCase();
	return word === 'oui' ? 1 : word === 'non' ? 0 : null;
}

/**
 * Whether a value fits the indicator's kind: a French sentence saying why not, or null. The same
 * rule for the measurements partners enter, for targets and for baselines.
 */
/** A yes/no measurement the partner's form cannot read: the words it reads, too. */
export const YES_NO_MESSAGE =
	'Cet indicateur se lit oui ou non : écrivez « oui » ou « non » (ou 1 ou 0).';

export function indicatorValueProblem(kind: IndicatorKind, value: number): string | null {
	if (!Number.isFinite(value)) return NOT_A_NUMBER;
	switch (kind) {
		case 'count':
			// Never negative; decimals stay allowed: « Nombre » is every indicator's kind by default,
			// those that hold a mean, a score or savings (9-1, 1-2) included, and no kind is left for
			// them if this one refuses 12,5.
			return value < 0
				? 'Cet indicateur compte quelque chose : sa valeur ne peut pas être négative.'
				: null;
		case 'percentage':
			return value < 0 || value > 100
				? 'Cet indicateur est un pourcentage : sa valeur reste entre 0 et 100.'
				: null;
		case 'amount':
			return value < 0 ? 'Un montant en euros ne peut pas être négatif.' : null;
		case 'boolean':
			return value === 0 || value === 1
				? null
				: 'Cet indicateur se lit oui ou non : sa valeur est 1 (oui) ou 0 (non).';
	}
}
